using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RaServer.Api;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Workers;
using RaServer.Policy;
using RaServer.Trust;

namespace RaServer.Hosting;

/// <summary>Builds the RA's web application: the same code path for `serve`, `dev` and the tests.</summary>
public static class RaServerApp
{
    /// <param name="settings">Configuration that overrides files and environment (dev paths, test ports).</param>
    /// <param name="replaceServices">Lets tests swap a service, such as the clock, before the app is built.</param>
    public static WebApplication Build(
        string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? replaceServices = null)
    {
        // Configuration files sit beside the binary; the working directory is whatever the operator started it from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);

        builder.AddRaKestrel();
        builder.AddCa();
        builder.Services.AddRaCore(builder.Configuration);
        builder.Services.AddRaAuth(builder.Configuration);
        builder.Services.AddRaApplicantServices(builder.Configuration);
        builder.Services.AddRaGrpc();
        replaceServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapRaGrpc();
        return app;
    }

    private static IServiceCollection AddRaCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(configuration.GetSection(DatabaseOptions.Section));
        services.AddStorage(sp => ConnectionStrings.WithNotifyInTrigger(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString,
            sp.GetRequiredService<IOptions<EventsOptions>>().Value.NotifyFromTrigger));
        services.AddHostedService<MigrateOnStartService>();
        // After the migrator: the pending-refusal writer replays into the schema it makes.
        services.AddRaAudit(configuration);
        return services;
    }

    private static IServiceCollection AddRaAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<ClientCertificateValidator>();
        return services;
    }

    private static IServiceCollection AddRaApplicantServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignedRequestVerification(configuration);
        services.AddSingleton<SignedRequestPipeline>();
        services.AddSingleton<TrustCrlKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<TrustCrlKeeper>());
        services.AddCrlFetching();
        services.AddValidatedOptions<RaInfoOptions, RaInfoOptionsValidator>(configuration.GetSection(RaInfoOptions.Section));
        services.AddValidatedOptions<FeeOptions, FeeOptionsValidator>(configuration.GetSection(FeeOptions.Section));
        services.AddSingleton<ApplicationQueries>();
        services.AddValidatedOptions<ApiOptions, ApiOptionsValidator>(configuration.GetSection(ApiOptions.Section));
        services.AddSingleton<ApplicationAnswerCache>();
        services.AddSingleton<ApplicationWorkflow>();
        services.AddSingleton<PaperApplications>();
        services.AddSlipPrinting(configuration);
        services.AddSingleton<CaOutboxSignal>();
        services.AddValidatedOptions<EligibilityOptions, EligibilityOptionsValidator>(configuration.GetSection(EligibilityOptions.Section));
        services.AddValidatedOptions<SweeperOptions, SweeperOptionsValidator>(configuration.GetSection(SweeperOptions.Section));
        services.AddSingleton<PaymentSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentSweeper>());
        services.AddRaMail(configuration);
        services.AddExpiryNotifier(configuration);
        services.AddApplicationEvents(configuration);
        services.AddSingleton<CertificateQueries>();
        services.AddSingleton<RaServer.Workflow.CertificateRegistrations>();
        services.AddSingleton<GovernmentCertificateInspector>();
        services.AddSingleton<RaServer.Workflow.GovernmentCertificateRegistrations>();
        services.AddSingleton<RaServer.Workflow.GovernmentCertificateFacts>();
        services.AddSingleton<RaServer.Workflow.CertificateListing>();
        services.AddSingleton<BrokerStaffChanges>();
        services.AddSingleton<RaServer.Workflow.MessageVerifier>();
        services.AddValidatedOptions<CaDispatchOptions, CaDispatchOptionsValidator>(configuration.GetSection(CaDispatchOptions.Section));
        services.AddSingleton<CaCompletion>();
        services.AddSingleton<CaStatusReconciler>();
        services.AddSingleton<CaRequestDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<CaRequestDispatcher>());
        services.AddSingleton<RegistryStore>();
        services.AddSingleton<RegistryImporter>(sp => new RegistryImporter(
            sp.GetRequiredService<UnitOfWorkFactory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static IServiceCollection AddRaGrpc(this IServiceCollection services)
    {
        services.AddGrpc(grpc =>
        {
            // Order matters: errors are mapped around everything, including authorization refusals.
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            grpc.Interceptors.Add<AuditCallerInterceptor>();
            grpc.Interceptors.Add<CallerAuthorizationInterceptor>();
            // Last: only an authorized caller learns what is wrong with the form of its request.
            grpc.Interceptors.Add<WellFormedRequestInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<PostgresHealthCheck>("postgres");
        // After every AddGrpc* call (each may add the default provider back): a body that does not parse must reach
        // the interceptors as a marked placeholder, not fail inside grpc-dotnet as UNKNOWN.
        services.RemoveAll(typeof(Grpc.AspNetCore.Server.Model.IServiceMethodProvider<>));
        services.AddSingleton(typeof(Grpc.AspNetCore.Server.Model.IServiceMethodProvider<>), typeof(WellFormedMethodProvider<>));
        return services;
    }

    private static void MapRaGrpc(this WebApplication app)
    {
        app.MapCa();
        app.MapGrpcService<RegistrationAuthorityService>();
        app.MapGrpcService<CustomsOfficeService>();
        app.MapGrpcService<RegistryService>();
        app.MapGrpcService<PaymentsService>();
        app.MapGrpcService<VerificationService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
    }
}
