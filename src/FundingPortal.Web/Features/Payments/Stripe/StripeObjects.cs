using System.Text.Json;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// Reading the fields of Stripe objects (sessions, invoices, charges, subscriptions) from an event's JSON, and finding the pledge an
/// object belongs to. Shared by every <see cref="IStripeEventApplier"/>.
/// </summary>
internal static class StripeObjects
{
    public static JsonElement? Metadata(JsonElement element) =>
        element.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? metadata : null;

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An id field that Stripe sends either as a string or, when expanded, as an object with an id.</summary>
    public static string? IdOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Object => Text(value, "id"),
                _ => null,
            }
            : null;

    public static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public static DateTime UnixOr(JsonElement element, string name, DateTime fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds(value.GetInt64()).UtcDateTime
            : fallback;

    /// <summary>The currency of an object, in our (upper-case) spelling.</summary>
    public static string? CurrencyOf(JsonElement element, string name = "currency") => Text(element, name)?.ToUpperInvariant();

    public static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Why Stripe's amount and currency cannot be booked at all (not merely differ from the pledge), or null when they can.</summary>
    public static string? Unbookable(long amount, string? currency) =>
        currency is null || !Currency.IsKnown(currency) ? $"Stripe sent the currency \"{currency}\", which the portal does not know."
        : amount <= 0 ? $"Stripe sent an amount of {amount} minor units; only more than 0 can be booked."
        : null;

    /// <summary>The pledge (with installments and organisation) named by the metadata or client reference, else by the subscription id.</summary>
    public static async Task<Pledge?> PledgeAsync(StripeEventContext e, JsonElement? metadata, string? clientReference, string? subscriptionId)
    {
        var pledgeId = metadata is { } m && Text(m, "pledge_id") is { } fromMetadata ? fromMetadata : clientReference;
        var query = e.Db.Pledges.Include(p => p.Installments).Include(p => p.Organisation);
        if (int.TryParse(pledgeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            var pledge = await query.SingleOrDefaultAsync(p => p.Id == id, e.CancellationToken);
            // The organisation in the metadata must be the pledge's: an event naming someone else's pledge books nothing.
            if (pledge is not null && metadata is { } md && Text(md, "organisation_id") is { } org && org != Key(pledge.OrganisationId))
            {
                return null;
            }
            if (pledge is not null)
            {
                return pledge;
            }
        }
        return subscriptionId is null ? null : await query.SingleOrDefaultAsync(p => p.StripeSubscriptionId == subscriptionId, e.CancellationToken);
    }

    /// <summary>The pledge of a Checkout Session: its metadata, else its client reference.</summary>
    public static Task<Pledge?> SessionPledgeAsync(StripeEventContext e) => PledgeAsync(e, Metadata(e.Data), Text(e.Data, "client_reference_id"), null);

    /// <summary>The pledge of an invoice, through the subscription it was raised for.</summary>
    public static async Task<(Pledge? Pledge, string? SubscriptionId)> InvoicePledgeAsync(StripeEventContext e)
    {
        var (metadata, subscriptionId) = InvoiceSubscription(e.Data);
        return (await PledgeAsync(e, metadata, null, subscriptionId), subscriptionId);
    }

    /// <summary>The earliest installment of the pledge still waiting for money.</summary>
    public static Installment? FirstOpen(Pledge? pledge) => pledge?.Installments.Where(i => i.IsOpen).OrderBy(i => i.Sequence).FirstOrDefault();

    public static (JsonElement? Metadata, string? SubscriptionId) InvoiceSubscription(JsonElement invoice)
    {
        if (invoice.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object
            && parent.TryGetProperty("subscription_details", out var details) && details.ValueKind == JsonValueKind.Object)
        {
            return (Metadata(details), IdOf(details, "subscription"));
        }
        // Older shapes, and the invoice lines, carry the subscription's metadata too.
        if (invoice.TryGetProperty("lines", out var lines) && lines.TryGetProperty("data", out var data))
        {
            foreach (var line in data.EnumerateArray())
            {
                if (Metadata(line) is { } metadata && Text(metadata, "pledge_id") is not null)
                {
                    return (metadata, IdOf(invoice, "subscription"));
                }
            }
        }
        return (Metadata(invoice), IdOf(invoice, "subscription"));
    }

    public static string? InvoicePaymentIntent(JsonElement invoice)
    {
        if (invoice.TryGetProperty("payments", out var payments) && payments.ValueKind == JsonValueKind.Object && payments.TryGetProperty("data", out var data))
        {
            foreach (var item in data.EnumerateArray())
            {
                if (item.TryGetProperty("payment", out var payment) && IdOf(payment, "payment_intent") is { } id)
                {
                    return id;
                }
            }
        }
        return IdOf(invoice, "payment_intent");
    }
}
