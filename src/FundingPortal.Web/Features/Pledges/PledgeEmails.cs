using System.Net;

using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.Pledges;

/// <summary>The emails a pledge's organisation gets at each step; everything a person typed is HTML-encoded.</summary>
internal static class PledgeEmails
{
    public static OutgoingEmail Received(Organisation organisation, string terms, bool resubmitted) => new(
        organisation.BillingEmail,
        resubmitted ? $"Pledge resubmitted by {organisation.Name}" : $"Pledge received from {organisation.Name}",
        $"<p>Thank you. FundingPortal has {(resubmitted ? "received the amended" : "received a new")} pledge from " +
        $"<strong>{Encode(organisation.Name)}</strong>:</p><p>{Encode(terms)}</p>" +
        "<p>The devops group will review it and you will hear from us by email.</p>");

    public static OutgoingEmail Reviewed(Organisation organisation, PledgeStatus status, string terms, string reason, bool payByCardNow = false)
    {
        var (subject, verdict) = status switch
        {
            PledgeStatus.Active => ("Pledge accepted", "accepted"),
            PledgeStatus.Declined => ("Pledge declined", "declined"),
            _ => ("Changes requested to a pledge", "asked for changes to"),
        };
        return new(organisation.BillingEmail, $"{subject}: {organisation.Name}",
            $"<p>The devops group has {verdict} the pledge from <strong>{Encode(organisation.Name)}</strong>:</p>" +
            $"<p>{Encode(terms)}</p><p><strong>Reason:</strong> {Encode(reason)}</p>" +
            (status == PledgeStatus.ChangesRequested ? "<p>Open the pledge in FundingPortal to amend and resubmit it.</p>" : "") +
            (payByCardNow ? "<p>You can now pay by card: open the pledge in FundingPortal and press <strong>Pay by card</strong>.</p>" : ""));
    }

    public static OutgoingEmail Changed(Organisation organisation, string subject, string terms, string? reason) => new(
        organisation.BillingEmail, $"{subject}: {organisation.Name}",
        $"<p>{Encode(subject)} for <strong>{Encode(organisation.Name)}</strong>:</p><p>{Encode(terms)}</p>" +
        (string.IsNullOrWhiteSpace(reason) ? "" : $"<p><strong>Reason:</strong> {Encode(reason)}</p>"));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
