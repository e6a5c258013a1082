using System.Collections.Frozen;
using System.Text.Json;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// Applies one stored Stripe event by handing it to the handler registered for its type (the table is built once, from every
/// <see cref="IStripeEventApplier"/> in the container; two handlers for one type fail at start). Handlers find the pledge from metadata
/// (or the subscription id) and never assume an order; each Stripe object is booked once (checked there, and by unique indexes).
/// The event body is read as JSON: only the fields the handlers name matter, and reading them directly keeps us independent of
/// Stripe.net's model classes for the pinned API version.
/// </summary>
public sealed class ApplyStripeEvent(IEnumerable<IStripeEventApplier> handlers)
{
    public const string StripeActor = "stripe";

    // ToDictionary, not ToFrozenDictionary: a second handler for one type must throw, not quietly replace the first.
    private readonly FrozenDictionary<string, IStripeEventApplier> _byType =
        handlers.ToDictionary(h => h.EventType, StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The event types the portal acts on; any other is stored and closed with nothing booked.</summary>
    public IReadOnlyCollection<string> EventTypes => _byType.Keys;

    public async Task<AppliedEvent> ApplyAsync(AppDbContext db, StripeEvent stored, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(stored.Payload);
        var root = document.RootElement;
        var data = root.GetProperty("data").GetProperty("object");
        var at = root.TryGetProperty("created", out var created) && created.TryGetInt64(out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime
            : stored.ReceivedAt;
        return _byType.TryGetValue(stored.Type, out var handler)
            ? await handler.ApplyAsync(new StripeEventContext(db, stored, data, at, cancellationToken))
            : new AppliedEvent("not an event the portal acts on");
    }
}
