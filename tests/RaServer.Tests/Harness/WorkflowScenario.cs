using Customs.Ra.V1;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using Ra.Client.Signing;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace RaServer.Tests.Harness;

/// <summary>
/// The fixture data of docs/DOMAIN.md loaded into a running RA through its registry feed, plus helpers that file
/// applications the way partner apps and clerks do: signed online submissions, paper intake, payments.
/// </summary>
public sealed class WorkflowScenario(RaServerHarness server)
{
    public const string FirmUbn = "04595252";
    public const string FirmName = "測試報關股份有限公司";
    public const string BrokerId = "A123456789";
    public const string BrokerName = "測試人員";

    public RegistrationAuthority.RegistrationAuthorityClient Applicants { get; } = new(server.Channel());
    public CustomsOffice.CustomsOfficeClient Officer { get; } = new(server.Channel(RaServerHarness.Client("officer")));
    public Payments.PaymentsClient Fees { get; } = new(server.Channel(RaServerHarness.Client("fees")));
    public Customs.Ra.V1.Registry.RegistryClient Registry { get; } = new(server.Channel(RaServerHarness.Client("registry")));

    /// <summary>The test firm (an active customs broker) and its licensed broker with a mandate since 2025.</summary>
    /// <summary>A second licensed customs broker firm, for transfers and for certificates that are someone else's.</summary>
    public const string SecondFirmUbn = "04595257";
    public const string SecondFirmName = "新測試報關有限公司";

    public async Task AddSecondFirmAsync() =>
        await Registry.UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = SecondFirmUbn, Name = SecondFirmName, Kind = OperatorKind.CustomsBroker, CustomsOfficeCode = "CA", BoxNumber = "301/0",
                Status = OperatorStatus.Active,
            },
        });

    public async Task LoadRegistryAsync(string? mandateEnd = null)
    {
        await Registry.UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = FirmUbn, Name = FirmName, Kind = OperatorKind.CustomsBroker, CustomsOfficeCode = "AA",
                BoxNumber = "207/0", Status = OperatorStatus.Active,
            },
        });
        await Registry.UpsertBrokerStaffAsync(new UpsertBrokerStaffRequest
        {
            BrokerStaff = new BrokerStaff { NationalId = BrokerId, Name = BrokerName, LicenceNumber = "L-0001", Status = BrokerStaffStatus.Active },
        });
        await Registry.UpsertMandateAsync(new UpsertMandateRequest
        {
            Mandate = new Mandate { NationalId = BrokerId, FirmUbn = FirmUbn, StartDate = "2025-01-01", EndDate = mandateEnd ?? "" },
        });
    }

    public static ApplicationContent Content(ServiceType service, CertificateKind kind, string serial = "")
    {
        var content = new ApplicationContent
        {
            ServiceType = service,
            Kind = kind,
            NoticeEmail = "broker-office@example.test",
            CertificateSerialHex = serial,
            RevocationReason = service == ServiceType.Revoke ? RevocationReason.KeyCompromise : RevocationReason.Unspecified,
        };
        // A oneof: assigning null to the other member would clear it, so set only the one that applies.
        if (kind == CertificateKind.Personal)
            content.Personal = new PersonalSubject { NationalId = BrokerId, Name = BrokerName, FirmUbn = FirmUbn };
        else
            content.Organization = new OrganizationSubject { Ubn = FirmUbn, Name = FirmName };
        return content;
    }

    public SignedEnvelope SignSubmission(ApplicationContent content, string? requestId = null)
    {
        var header = RequestSigner.OrganizationHeader(FirmUbn, FirmName);
        if (requestId is not null)
            header.RequestId = requestId;
        return server.CompanySigner().Sign(new SubmitApplicationPayload { Header = header, Content = content });
    }

    public async Task<Application> SubmitAsync(ApplicationContent content) =>
        (await Applicants.SubmitApplicationAsync(new SubmitApplicationRequest { Envelope = SignSubmission(content) })).Application;

    public async Task<Application> IntakePaperAsync(ApplicationContent content, string? requestId = null) =>
        (await Officer.IntakePaperApplicationAsync(new IntakePaperApplicationRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString("D"),
            ReceivingOfficeCode = "AA",
            ClerkId = "clerk-007",
            SealsChecked = true,
            Applicant = new Applicant { Organization = new OrganizationIdentity { Ubn = FirmUbn, Name = FirmName } },
            Content = content,
        })).Application;

    public Task<ConfirmPaymentResponse> PayAsync(PaymentSlip slip, long? amount = null, DateTimeOffset? paidAt = null, string? receipt = null) =>
        Fees.ConfirmPaymentAsync(new ConfirmPaymentRequest
        {
            SlipNumber = slip.SlipNumber,
            AmountNtd = amount ?? slip.AmountNtd,
            PaidAt = Timestamp.FromDateTimeOffset(paidAt ?? server.Time.GetUtcNow()),
            ReceiptReference = receipt ?? $"RCPT-{Guid.NewGuid():N}",
        }).ResponseAsync;

    public async Task<Application> GetAsync(string applicationId) =>
        (await Applicants.GetApplicationAsync(new GetApplicationRequest
        {
            Envelope = server.CompanySigner().Sign(new GetApplicationPayload
            {
                Header = RequestSigner.OrganizationHeader(FirmUbn, FirmName), ApplicationId = applicationId,
            }),
        })).Application;

    /// <summary>
    /// A certificate the RA issued earlier (the CA path comes with the CA connector issue); until then the
    /// tests put the RA's record of it in place directly.
    /// </summary>
    public async Task<string> SeedCertificateAsync(CertificateKind kind, string state = "ACTIVE", int daysLeft = 30)
    {
        var serial = CaConnector.SerialNumbers.ToHex(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
        var now = server.Clock.GetUtcNow();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO certificates (serial_hex, kind, state, holder_national_id, holder_name, firm_ubn, owner_ubn,
                not_before, not_after, created_at, updated_at)
            VALUES (@serial, @kind, @state, @holder, @name, @firm, @firm, @notBefore, @notAfter, @now, @now)
            """,
            new
            {
                serial, kind = kind == CertificateKind.Personal ? "PERSONAL" : "ORGANIZATION", state,
                holder = kind == CertificateKind.Personal ? BrokerId : null,
                name = kind == CertificateKind.Personal ? BrokerName : FirmName, firm = FirmUbn,
                notBefore = now.AddYears(-3), notAfter = now.AddDays(daysLeft), now,
            });
        return serial;
    }

    /// <summary>
    /// The whole NEW (or RENEW) path through the API: apply, pay, submit a P-256 CSR, let the dispatcher take it to
    /// the embedded CA. Returns the issued certificate with the applicant's private key, ready to sign messages.
    /// </summary>
    public async Task<X509Certificate2> IssueAsync(CertificateKind kind, ServiceType service = ServiceType.New, string serial = "")
    {
        var application = await SubmitAsync(Content(service, kind, serial));
        if (application.State != ApplicationState.AwaitingPayment)
            throw new InvalidOperationException($"application is {application.State}: {string.Join(", ", application.RejectionReasons)}");
        await PayAsync(application.PaymentSlip);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        await Applicants.SubmitCsrAsync(new SubmitCsrRequest
        {
            Envelope = server.CompanySigner().Sign(new SubmitCsrPayload
            {
                Header = RequestSigner.OrganizationHeader(FirmUbn, FirmName), ApplicationId = application.ApplicationId,
                CsrDer = Google.Protobuf.ByteString.CopyFrom(csr),
            }),
        });
        await server.Services.GetRequiredService<RaServer.Workers.CaRequestDispatcher>().RunOnceAsync(CancellationToken.None);
        var download = await Applicants.DownloadCertificateAsync(new DownloadCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new DownloadCertificatePayload
            {
                Header = RequestSigner.OrganizationHeader(FirmUbn, FirmName), ApplicationId = application.ApplicationId,
            }),
        });
        using var certificate = X509CertificateLoader.LoadCertificate(download.CertificateDer.ToByteArray());
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>Runs a SUSPEND / UNSUSPEND / REVOKE application to completion.</summary>
    public async Task ChangeStatusAsync(ServiceType service, CertificateKind kind, string serial)
    {
        var application = await SubmitAsync(Content(service, kind, serial));
        if (application.State != ApplicationState.Forwarded)
            throw new InvalidOperationException($"application is {application.State}: {string.Join(", ", application.RejectionReasons)}");
        await server.Services.GetRequiredService<RaServer.Workers.CaRequestDispatcher>().RunOnceAsync(CancellationToken.None);
    }

    public Task<RegisterCertificateResponse> RegisterAsync(string serial) =>
        Applicants.RegisterCertificateAsync(new RegisterCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new RegisterCertificatePayload
            {
                Header = RequestSigner.OrganizationHeader(FirmUbn, FirmName), SerialHex = serial, FirmUbn = FirmUbn,
            }),
        }).ResponseAsync;

    public Task<long> MailCountAsync(string kind) => server.MailCountAsync(kind);
}
