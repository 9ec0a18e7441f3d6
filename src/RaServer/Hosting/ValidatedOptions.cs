using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RaServer.Hosting;

/// <summary>How every configuration section of the RA is registered: bound, and checked by its validator at start.</summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="TOptions"/> and runs <typeparamref name="TValidator"/>
    /// when the host starts, so a setting that cannot work stops the process with its key named, instead of failing
    /// the first call or background round that reads it.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfigurationSection section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services;
    }

    /// <summary>
    /// Binds and validates a section that is read before the host exists (the listener's address), throwing the
    /// same <see cref="OptionsValidationException"/> as a check at start.
    /// </summary>
    public static TOptions GetValidated<TOptions>(this IConfigurationSection section, IValidateOptions<TOptions> validator)
        where TOptions : class, new()
    {
        var options = section.Get<TOptions>() ?? new TOptions();
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures) : options;
    }
}
