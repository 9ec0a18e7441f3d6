using System.Globalization;
using System.Text.RegularExpressions;
using Customs.Ra.V1;
using Ra.Client.Signing;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Slips;

/// <summary>
/// The payment slip people print (the manual: online applicants print it themselves, the office prints it for paper
/// applicants), asked for through the public API and checked the way a person and a scanner see it: an A4 page with
/// its font embedded, the slip's facts in Chinese, and a Code 128 barcode that scans to the slip number.
/// </summary>
public sealed class PrintableSlipTests(SharedRaServer shared) : IClassFixture<SharedRaServer>, IAsyncLifetime
{
    private readonly RaServerHarness server = shared.Server;
    private readonly WorkflowScenario scenario = shared.Scenario;

    public Task InitializeAsync() => shared.BeginTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<GetPaymentSlipResponse> GetSlipAsync(string applicationId, SlipFormat format) =>
        scenario.Applicants.GetPaymentSlipAsync(new GetPaymentSlipRequest
        {
            Envelope = server.CompanySigner().Sign(new GetPaymentSlipPayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                ApplicationId = applicationId, Format = format,
            }),
        }).ResponseAsync;

    private Task<PrintPaymentSlipResponse> PrintSlipAsync(string applicationId, SlipFormat format) =>
        scenario.Officer.PrintPaymentSlipAsync(new PrintPaymentSlipRequest { ApplicationId = applicationId, Format = format }).ResponseAsync;

    [Fact]
    public async Task An_online_applicant_gets_its_slip_as_an_A4_pdf_whose_text_and_barcode_carry_the_slip()
    {
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));

        var response = await GetSlipAsync(application.ApplicationId, SlipFormat.Pdf);

        Assert.Equal(application.PaymentSlip, response.PaymentSlip);
        var text = AssertPrintedSlip(response.Pdf.ToByteArray(), response.PaymentSlip, GetPaymentSlipResponse.Descriptor);
        Assert.Matches(@"申請項目\s+通關專屬法人憑證\s+新申請", text);
        Assert.Matches($@"申請人\s+{WorkflowScenario.FirmName}", text);
        Assert.Matches($@"統一編號\s+{WorkflowScenario.FirmUbn}", text);
        Assert.Matches(@"繳費狀態\s+待繳費", text);
    }

    [Fact]
    public async Task An_officer_prints_a_paper_applicants_slip_as_an_A4_pdf_whose_text_and_barcode_carry_the_slip()
    {
        var application = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal));
        Assert.Equal(ApplicationState.AwaitingPayment, application.State);

        var response = await PrintSlipAsync(application.ApplicationId, SlipFormat.Pdf);

        Assert.Equal(application.PaymentSlip, response.PaymentSlip);
        var text = AssertPrintedSlip(response.Pdf.ToByteArray(), response.PaymentSlip, PrintPaymentSlipResponse.Descriptor);
        Assert.Matches(@"申請項目\s+通關專屬個人憑證\s+新申請", text);
        Assert.Matches($@"憑證名義人\s+{WorkflowScenario.BrokerName}", text);
        Assert.Matches($@"統一編號\s+{WorkflowScenario.FirmUbn}", text);
    }

    [Fact]
    public async Task Without_a_format_both_rpcs_answer_the_structured_slip_alone_as_before()
    {
        var online = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal));
        var paper = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));

        var read = await GetSlipAsync(online.ApplicationId, SlipFormat.Unspecified);
        var printed = await PrintSlipAsync(paper.ApplicationId, SlipFormat.Unspecified);

        Assert.Equal(new GetPaymentSlipResponse { PaymentSlip = online.PaymentSlip }, read);
        Assert.Equal(new PrintPaymentSlipResponse { PaymentSlip = paper.PaymentSlip }, printed);
        Assert.True(read.Pdf.IsEmpty && printed.Pdf.IsEmpty);
        Assert.Equal(read.PaymentSlip, (await GetSlipAsync(online.ApplicationId, SlipFormat.Pdf)).PaymentSlip);
    }

    [Fact]
    public async Task A_paid_slip_prints_marked_paid_and_a_void_one_marked_not_to_be_paid()
    {
        var paid = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await scenario.PayAsync(paid.PaymentSlip);
        var rejected = await scenario.IntakePaperAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await scenario.Officer.RejectApplicationAsync(new RejectApplicationRequest
        {
            ApplicationId = rejected.ApplicationId, ClerkId = "clerk-007",
            Reasons = { new RejectionReason { Code = "SEAL_UNREADABLE", Text = "大小章不清晰" } },
        });

        using var paidPage = new PrintedPage((await PrintSlipAsync(paid.ApplicationId, SlipFormat.Pdf)).Pdf.ToByteArray());
        using var voidPage = new PrintedPage((await PrintSlipAsync(rejected.ApplicationId, SlipFormat.Pdf)).Pdf.ToByteArray());

        Assert.Matches(@"繳費狀態\s+已繳費（\d{4}-\d{2}-\d{2}）", paidPage.Text());
        Assert.Matches(@"繳費狀態\s+已作廢，請勿繳費", voidPage.Text());
        Assert.DoesNotContain("待繳費", voidPage.Text());
    }

    /// <summary>
    /// One A4 page with its Chinese font embedded as a subset; the slip number, the amount and the due date in their
    /// Chinese lines; a barcode that scans to the slip number; and no larger than the response field's max_size.
    /// Returns the page's text for the caller's own checks.
    /// </summary>
    private static string AssertPrintedSlip(byte[] pdf, PaymentSlip slip, Google.Protobuf.Reflection.MessageDescriptor response)
    {
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
        Assert.InRange(pdf.Length, 1, FieldLimits.Of(response.FindFieldByName("pdf")));
        using var page = new PrintedPage(pdf);

        var info = page.Info();
        Assert.Matches(@"Pages:\s+1\n", info);
        Assert.Matches(@"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info);
        Assert.Matches(@"AR PL UMing TW\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", page.Fonts());

        var text = page.Text();
        var dueDate = TaiwanTime.DateOf(slip.DueAt.ToDateTimeOffset()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var amount = slip.AmountNtd.ToString("N0", CultureInfo.InvariantCulture);
        Assert.Contains("通關專屬憑證申請繳費單", text);
        Assert.Matches($@"繳費單號\s+{slip.SlipNumber}", text);
        Assert.Matches($@"應繳金額\s+新臺幣 {Regex.Escape(amount)} 元", text);
        Assert.Matches($@"繳費期限\s+{dueDate}", text);

        var barcode = Assert.Single(page.Barcodes());
        Assert.Equal(ZXing.BarcodeFormat.CODE_128, barcode.BarcodeFormat);
        Assert.Equal(slip.SlipNumber, barcode.Text);
        return text;
    }
}
