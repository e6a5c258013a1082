using System.Net;

using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.Payments;

/// <summary>The emails Stripe events send the pledge's organisation; everything a person typed is HTML-encoded.</summary>
internal static class StripeEmails
{
    /// <summary>A card or delayed payment did not go through; null when the organisation has no billing address.</summary>
    public static OutgoingEmail? PaymentFailed(Pledge pledge, Installment installment, string what) =>
        string.IsNullOrWhiteSpace(pledge.Organisation?.BillingEmail) ? null : new OutgoingEmail(pledge.Organisation.BillingEmail,
            $"Card payment failed: {pledge.Organisation.Name}",
            $"<p>Hello {Encode(pledge.Organisation.Name)},</p><p>{Encode(what)}</p>" +
            $"<p>Installment {installment.Sequence} of your pledge (reference PLEDGE-{pledge.Id}-{installment.Sequence}) is now past due.</p>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
