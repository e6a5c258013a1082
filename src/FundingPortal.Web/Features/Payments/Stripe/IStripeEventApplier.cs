using System.Text.Json;

using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// The effect of one Stripe event type on our books, inside the caller's transaction. One class per event type, registered with
/// <see cref="PaymentsModule.AddStripeEvent{THandler}"/>; <see cref="ApplyStripeEvent"/> picks it by <see cref="EventType"/>.
/// </summary>
public interface IStripeEventApplier
{
    /// <summary>The Stripe event type, such as <c>invoice.paid</c>; one handler per type.</summary>
    string EventType { get; }

    Task<AppliedEvent> ApplyAsync(StripeEventContext e);
}

/// <summary>One stored event being applied: the context of its transaction, the event's <c>data.object</c> and when Stripe created it.</summary>
public sealed record StripeEventContext(AppDbContext Db, StripeEvent Event, JsonElement Data, DateTime At, CancellationToken CancellationToken);

/// <summary>
/// What applying one event did, and the email to send once its transaction has committed. <paramref name="NeedsReview"/> says why (part
/// of) the event can never be booked — an amount or currency our books cannot hold — so it is closed for a person to look at instead of
/// failing, which would have Stripe send it again for days.
/// </summary>
public sealed record AppliedEvent(string Note, OutgoingEmail? Email = null, string? NeedsReview = null)
{
    public static AppliedEvent ForReview(string reason) => new("not booked: " + reason, NeedsReview: reason);
}
