using System.Net;

using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Infrastructure.Email;

/// <summary>The account emails Identity asks for (confirm address, reset password), in the portal's words.</summary>
public sealed class IdentityEmailSender(Mailer mailer) : IEmailSender<ApplicationUser>
{
    // The links arrive HTML-encoded from the account pages already.
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        mailer.SendAsync(new(email, "Confirm your FundingPortal email",
            $"<p>Hello {WebUtility.HtmlEncode(user.DisplayName)},</p><p>Please <a href=\"{confirmationLink}\">confirm your email address</a> to finish creating your FundingPortal account.</p>"));

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        mailer.SendAsync(new(email, "Reset your FundingPortal password",
            $"<p>Someone asked to reset the password of this account. <a href=\"{resetLink}\">Choose a new password</a>. If it was not you, ignore this email.</p>"));

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        mailer.SendAsync(new(email, "Your FundingPortal password reset code",
            $"<p>Your password reset code is <strong>{WebUtility.HtmlEncode(resetCode)}</strong>.</p>"));
}

public static class EmailRegistration
{
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.From, out _), "Email:From is not a valid address.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MailPickupFolder>();
        builder.Services.AddSingleton<Mailer>();
        builder.Services.AddSingleton<IEmailSender<ApplicationUser>, IdentityEmailSender>();
        return builder;
    }
}
