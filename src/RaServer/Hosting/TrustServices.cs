using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RaServer.Trust;

namespace RaServer.Hosting;

/// <summary>The trust configuration, the CRL store and the verifier, built together from <see cref="TrustOptions"/>.</summary>
public sealed record TrustServices(TrustAnchors Anchors, CrlStore Crls, SignedRequestVerifier Verifier)
{
    /// <summary>Loads the configured certificates and CRL files; throws when any is missing or refused.</summary>
    public static TrustServices Load(TrustOptions options, TimeProvider time)
    {
        var anchors = TrustAnchors.Load(options);
        var crls = new CrlStore(anchors);
        foreach (var file in options.CrlFiles)
            crls.Update(File.ReadAllBytes(file));
        return new TrustServices(anchors, crls, new SignedRequestVerifier(options, time, crls, anchors));
    }
}

public static class TrustServiceCollectionExtensions
{
    /// <summary>
    /// Binds section "Trust" (validated at start, the CRL download settings included) and registers
    /// <see cref="TrustAnchors"/>, <see cref="CrlStore"/> and <see cref="SignedRequestVerifier"/> as singletons sharing
    /// one load of the files.
    /// </summary>
    public static IServiceCollection AddSignedRequestVerification(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddValidatedOptions<TrustOptions, TrustOptionsValidator>(configuration.GetSection(TrustOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => TrustServices.Load(sp.GetRequiredService<IOptions<TrustOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<TrustServices>().Anchors);
        services.AddSingleton(sp => sp.GetRequiredService<TrustServices>().Crls);
        services.AddSingleton(sp => sp.GetRequiredService<TrustServices>().Verifier);
        return services;
    }
}
