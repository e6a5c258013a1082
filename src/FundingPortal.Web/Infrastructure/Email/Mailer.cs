using MailKit.Net.Smtp;
using MailKit.Security;

using Microsoft.Extensions.Options;

using MimeKit;

namespace FundingPortal.Web.Infrastructure.Email;

/// <param name="ReplyTo">Where a reply goes when not to the sender (the portal sends from a no-reply address); null for none.</param>
public sealed record OutgoingEmail(string To, string Subject, string HtmlBody, string? ReplyTo = null);

/// <summary>Sends one message through SMTP, or drops it into the pickup folder when no SMTP server is configured.</summary>
public sealed class Mailer(IOptions<EmailOptions> options, MailPickupFolder pickup, ILogger<Mailer> logger)
{
    public async Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        if (email.ReplyTo is { Length: > 0 } replyTo)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        }
        message.Subject = email.Subject;
        message.Body = new BodyBuilder { HtmlBody = email.HtmlBody }.ToMessageBody();

        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            var path = Path.Combine(pickup.Path, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(path, cancellationToken);
            logger.LogInformation("Email '{Subject}' to {To} written to {Path}", email.Subject, email.To, path);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port,
            settings.Smtp.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Smtp.UserName))
        {
            await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>The folder of <c>.eml</c> files used when no SMTP server is configured.</summary>
public sealed class MailPickupFolder
{
    public MailPickupFolder(IOptions<EmailOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        var dataFolder = DataFolder.Resolve(configuration, environment);
        Path = System.IO.Path.GetFullPath(options.Value.PickupFolder is { Length: > 0 } folder
            ? System.IO.Path.Combine(dataFolder, folder)
            : System.IO.Path.Combine(dataFolder, "mail"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
}
