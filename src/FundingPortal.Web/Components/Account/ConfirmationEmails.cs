using System.Net;
using System.Text;
using System.Text.Encodings.Web;

using FundingPortal.Web.Infrastructure.Email;

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace FundingPortal.Web.Components.Account;

/// <summary>
/// The emails that answer "register" and "send the link again": a confirmation link for an address not confirmed yet, and for an
/// address that already has an account, a note to its owner (someone tried to register with it) with a sign-in and a reset-password
/// link. Neither tells the person at the form whether an account exists. A few emails per address at most
/// (<see cref="AccountEmailThrottle"/>), so nobody can fill someone's inbox from the form.
/// </summary>
internal sealed class ConfirmationEmails(
    UserManager<ApplicationUser> users, IEmailSender<ApplicationUser> identityEmails, Mailer mailer, NavigationManager navigation,
    AccountEmailThrottle throttle, ILogger<ConfirmationEmails> logger)
{
    /// <summary>Sends <paramref name="email"/> a fresh confirmation link when it belongs to an account that is not confirmed yet.</summary>
    public async Task SendConfirmationAsync(string email, string? returnUrl)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null || await users.IsEmailConfirmedAsync(user))
        {
            return;
        }
        await SendConfirmationAsync(user, returnUrl);
    }

    public async Task SendConfirmationAsync(ApplicationUser user, string? returnUrl)
    {
        if (!throttle.TryTake(user.Email!))
        {
            logger.LogInformation("Confirmation email to {UserId} not sent: too many account emails to that address lately.", user.Id);
            return;
        }
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
        var link = navigation.GetUriWithQueryParameters(navigation.ToAbsoluteUri("Account/ConfirmEmail").AbsoluteUri,
            new Dictionary<string, object?> { ["userId"] = user.Id, ["code"] = code, ["returnUrl"] = returnUrl });
        await identityEmails.SendConfirmationLinkAsync(user, user.Email!, HtmlEncoder.Default.Encode(link));
    }

    /// <summary>
    /// Someone registered with an address that has an account: the owner hears of it (it may have been them, having forgotten),
    /// and an account not confirmed yet simply gets its confirmation link again.
    /// </summary>
    public async Task SendRegistrationAttemptAsync(ApplicationUser existing, string? returnUrl)
    {
        if (!await users.IsEmailConfirmedAsync(existing))
        {
            await SendConfirmationAsync(existing, returnUrl);
            return;
        }
        if (!throttle.TryTake(existing.Email!))
        {
            return;
        }
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(existing)));
        var reset = navigation.GetUriWithQueryParameters(navigation.ToAbsoluteUri("Account/ResetPassword").AbsoluteUri,
            new Dictionary<string, object?> { ["code"] = code });
        var signIn = navigation.ToAbsoluteUri("Account/Login").AbsoluteUri;
        await mailer.SendAsync(new(existing.Email!, AttemptSubject,
            $"<p>Hello {WebUtility.HtmlEncode(existing.DisplayName)},</p>" +
            "<p>Someone tried to register a new FundingPortal account with this email address, which already has an account. " +
            "No new account was created and yours is unchanged.</p>" +
            $"<p>If it was you: <a href=\"{WebUtility.HtmlEncode(signIn)}\">sign in</a> with your password, or " +
            $"<a href=\"{WebUtility.HtmlEncode(reset)}\">choose a new password</a> if you have forgotten it.</p>" +
            "<p>If it was not you, you need do nothing.</p>"));
    }

    public const string AttemptSubject = "Someone tried to register with your FundingPortal email";
}

/// <summary>
/// At most three account emails per address in a quarter of an hour (registering, then two "send again"), remembered in memory: a
/// restart forgets, which is harmless. The sign-in form's own rate limit per client address applies on top.
/// </summary>
internal sealed class AccountEmailThrottle(TimeProvider clock)
{
    public const int PerWindow = 3;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, List<DateTimeOffset>> _sent = new(StringComparer.OrdinalIgnoreCase);

    public bool TryTake(string email)
    {
        var now = clock.GetUtcNow();
        lock (_sent)
        {
            if (_sent.Count > 10_000)
            {
                foreach (var stale in _sent.Where(s => s.Value.TrueForAll(at => now - at >= Window)).Select(s => s.Key).ToList())
                {
                    _sent.Remove(stale);
                }
            }
            var sent = _sent.TryGetValue(email, out var list) ? list : _sent[email] = [];
            sent.RemoveAll(at => now - at >= Window);
            if (sent.Count >= PerWindow)
            {
                return false;
            }
            sent.Add(now);
            return true;
        }
    }
}
