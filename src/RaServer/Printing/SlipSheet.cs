using System.Globalization;
using RaServer.Domain;

namespace RaServer.Printing;

/// <summary>
/// What a printed payment slip says, line by line, in the manual's words (通關專屬憑證申請繳費單, 通關專屬個人憑證 /
/// 法人憑證, 新申請 / 展期). The layout is <see cref="SlipPdfRenderer"/>'s; the wording is here, so the font check at
/// start (<see cref="FixedText"/>) covers every character a slip prints apart from the applicant's own data.
/// </summary>
internal sealed record SlipSheet(string SlipNumber, IReadOnlyList<(string Label, string Value)> Lines, string? Stamp)
{
    public const string Title = "通關專屬憑證申請繳費單";
    public const string EnglishTitle = "Customs-dedicated certificate: payment slip";
    public const string NotesHeading = "注意事項";

    public static readonly string[] Notes =
    [
        "一、請於繳費期限前依現行規費繳納方式繳納，並提供繳費單號或出示本單條碼。",
        "二、逾期未繳納者，申請案即取消，本繳費單作廢，不接受繳納，並以電子郵件通知。",
        "三、繳費確認後，將以電子郵件通知上線產製金鑰、下載並註冊憑證。",
    ];

    private const string PaidStamp = "已繳費";
    private const string VoidStamp = "已作廢，請勿繳費";
    private const string Dash = "－";

    /// <summary>Every character the slip prints whatever it is for: labels, notes, stamps, digits and date signs.</summary>
    public static readonly string FixedText = string.Concat(
        Title, EnglishTitle, NotesHeading, string.Concat(Notes), PaidStamp, VoidStamp, Dash,
        "繳費單號申請編號申請人統一編號身分證申請項目憑證名義人應繳金額核發日期繳費期限繳費狀態待繳費",
        "通關專屬個人憑證法人憑證新申請展期新臺幣元（）：NT$,0123456789-abcdef年月日逾期本單作廢　 ");

    public static SlipSheet For(ApplicationRow application, PaymentSlipRow slip)
    {
        var organization = application.ApplicantUbn is not null;
        List<(string, string)> lines =
        [
            ("繳費單號", slip.SlipNumber),
            ("申請編號", slip.ApplicationId.ToString("D")),
            ("申請人", application.ApplicantName),
            (organization ? "統一編號" : "身分證統一編號", application.ApplicantUbn ?? application.ApplicantNationalId ?? Dash),
            ("申請項目", $"{KindName(application.Kind)}　{ServiceName(application.ServiceType)}"),
            ("憑證名義人", application.SubjectName),
            ("應繳金額", $"新臺幣 {Amount(slip.AmountNtd)} 元（NT$ {Amount(slip.AmountNtd)}）"),
            ("核發日期", Date(TaiwanTime.DateOf(Utc(slip.IssuedAt)))),
            ("繳費期限", $"{Date(slip.DueDate)}（逾期本單作廢）"),
            ("繳費狀態", StatusText(slip)),
        ];
        return new SlipSheet(slip.SlipNumber, lines, slip.Status switch
        {
            "PAID" => PaidStamp,
            "VOID" => VoidStamp,
            _ => null,
        });
    }

    private static string StatusText(PaymentSlipRow slip) => slip.Status switch
    {
        "PAID" when slip.PaidAt is { } paidAt => $"{PaidStamp}（{Date(TaiwanTime.DateOf(Utc(paidAt)))}）",
        "PAID" => PaidStamp,
        "VOID" => VoidStamp,
        _ => "待繳費",
    };

    // The fee schedule has entries only for these; a slip of any other kind or service would be a stored-data error,
    // printed as it is stored rather than refused.
    private static string KindName(string kind) => kind switch
    {
        "PERSONAL" => "通關專屬個人憑證",
        "ORGANIZATION" => "通關專屬法人憑證",
        _ => kind,
    };

    private static string ServiceName(string serviceType) => serviceType switch
    {
        "NEW" => "新申請",
        "RENEW" => "展期",
        _ => serviceType,
    };

    private static string Amount(long ntd) => ntd.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The same spelling as the e-mailed notice of the slip, so the two can be compared at a glance.</summary>
    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
