namespace FundingPortal.Web.Infrastructure.Email;

/// <summary>
/// <c>Email:*</c>. With <c>Email:Smtp:Host</c> set, mail goes through that server; otherwise each message is written as an
/// <c>.eml</c> file into <c>Email:PickupFolder</c> (default: <c>mail</c> under the data folder).
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public string From { get; set; } = "FundingPortal <noreply@fundingportal.local>";

    public string? PickupFolder { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public sealed class SmtpOptions
    {
        public string? Host { get; set; }

        public int Port { get; set; } = 587;

        public string? UserName { get; set; }

        public string? Password { get; set; }

        public bool StartTls { get; set; } = true;
    }
}
