using System.Globalization;
using Customs.Ra.V1;

namespace Ra.Cli.Output;

/// <summary>
/// The payment slip in the words and order of the printed A4 slip (the RA's PDF): title, the labelled lines, the
/// notes; so what a person reads on the terminal matches the paper the cashier sees.
/// </summary>
public static class SlipLayout
{
    private static readonly TimeSpan Taiwan = TimeSpan.FromHours(8);

    public static IEnumerable<string> Lines(PaymentSlip slip, Application application)
    {
        var organization = application.Applicant?.Organization;
        var person = application.Applicant?.Person;
        var content = application.Content;
        var subject = content?.Organization?.Name ?? content?.Personal?.Name ?? "－";
        (string Label, string Value)[] rows =
        [
            ("繳費單號", slip.SlipNumber),
            ("申請編號", slip.ApplicationId),
            ("申請人", organization?.Name ?? person?.Name ?? "－"),
            (organization is not null ? "統一編號" : "身分證統一編號", organization?.Ubn ?? person?.NationalId ?? "－"),
            ("申請項目", $"{KindName(content?.Kind)}　{ServiceName(content?.ServiceType)}"),
            ("憑證名義人", subject),
            ("應繳金額", $"新臺幣 {Amount(slip.AmountNtd)} 元（NT$ {Amount(slip.AmountNtd)}）"),
            ("核發日期", Date(slip.IssuedAt)),
            ("繳費期限", $"{Date(slip.DueAt)}（逾期本單作廢）"),
            ("繳費狀態", slip.Status switch
            {
                PaymentSlipStatus.Paid => $"已繳費（{Date(slip.PaidAt)}）",
                PaymentSlipStatus.Void => "已作廢，請勿繳費",
                _ => "待繳費",
            }),
        ];
        yield return "通關專屬憑證申請繳費單";
        yield return "Customs-dedicated certificate: payment slip";
        yield return "";
        foreach (var (label, value) in rows)
            yield return $"{label}：{value}";
        yield return "";
        yield return "注意事項";
        yield return "一、請於繳費期限前依現行規費繳納方式繳納，並提供繳費單號或出示本單條碼。";
        yield return "二、逾期未繳納者，申請案即取消，本繳費單作廢，不接受繳納，並以電子郵件通知。";
        yield return "三、繳費確認後，將以電子郵件通知上線產製金鑰、下載並註冊憑證。";
    }

    private static string KindName(CertificateKind? kind) => kind switch
    {
        CertificateKind.Personal => "通關專屬個人憑證",
        CertificateKind.Organization => "通關專屬法人憑證",
        _ => "－",
    };

    private static string ServiceName(ServiceType? service) => service switch
    {
        ServiceType.New => "新申請",
        ServiceType.Renew => "展期",
        _ => "－",
    };

    private static string Amount(long ntd) => ntd.ToString("N0", CultureInfo.InvariantCulture);

    private static string Date(Google.Protobuf.WellKnownTypes.Timestamp? at) =>
        at is null ? "－" : at.ToDateTimeOffset().ToOffset(Taiwan).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
