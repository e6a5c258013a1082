using System.Globalization;
using System.Net;
using System.Text.Json;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Infrastructure;
using FundingPortal.Web.Infrastructure.Email;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// What applying one event did, and the email to send once its transaction has committed. <paramref name="NeedsReview"/> says why (part
/// of) the event can never be booked — an amount or currency our books cannot hold — so it is closed for a person to look at instead of
/// failing, which would have Stripe send it again for days.
/// </summary>
public sealed record AppliedEvent(string Note, OutgoingEmail? Email = null, string? NeedsReview = null)
{
    public static AppliedEvent ForReview(string reason) => new("not booked: " + reason, NeedsReview: reason);
}

/// <summary>
/// The effect of each Stripe event on our books, inside the caller's transaction. Handlers find the pledge from metadata (or the
/// subscription id) and never assume an order; each Stripe object is booked once (checked here, and by unique indexes).
/// The event body is read as JSON: only the fields below matter, and reading them directly keeps us independent of Stripe.net's
/// model classes for the pinned API version.
/// </summary>
public sealed class ApplyStripeEvent(StripeGateway stripe, IOptions<PortalOptions> portal)
{
    public const string StripeActor = "stripe";

    public async Task<AppliedEvent> ApplyAsync(AppDbContext db, StripeEvent stored, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(stored.Payload);
        var root = document.RootElement;
        var data = root.GetProperty("data").GetProperty("object");
        var at = root.TryGetProperty("created", out var created) && created.TryGetInt64(out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime
            : stored.ReceivedAt;
        var context = new EventContext(db, stored, data, at, cancellationToken);
        return stored.Type switch
        {
            "checkout.session.completed" => await SessionCompletedAsync(context),
            "checkout.session.async_payment_succeeded" => await SessionPaidAsync(context),
            "checkout.session.async_payment_failed" => await SessionFailedAsync(context),
            "invoice.paid" => await InvoicePaidAsync(context),
            "invoice.payment_failed" => await InvoiceFailedAsync(context),
            "charge.refunded" => await ChargeRefundedAsync(context),
            "customer.subscription.deleted" => await SubscriptionDeletedAsync(context),
            _ => new AppliedEvent("not an event the portal acts on"),
        };
    }

    private sealed record EventContext(AppDbContext Db, StripeEvent Event, JsonElement Data, DateTime At, CancellationToken CancellationToken);

    private async Task<AppliedEvent> SessionCompletedAsync(EventContext e)
    {
        var mode = Text(e.Data, "mode");
        if (mode == "subscription")
        {
            var pledge = await PledgeAsync(e, Metadata(e.Data), Text(e.Data, "client_reference_id"), null);
            var subscriptionId = IdOf(e.Data, "subscription");
            if (pledge is null || subscriptionId is null)
            {
                return new AppliedEvent("subscription session for no pledge of ours");
            }
            return await LinkSubscriptionAsync(e, pledge, subscriptionId);
        }
        return Text(e.Data, "payment_status") == "paid"
            ? await SessionPaidAsync(e)
            : new AppliedEvent("checkout completed, payment not yet confirmed: waiting for async_payment_succeeded");
    }

    private async Task<AppliedEvent> SessionPaidAsync(EventContext e)
    {
        var sessionId = Text(e.Data, "id")!;
        if (Text(e.Data, "mode") != "payment")
        {
            return new AppliedEvent("subscription money arrives with invoice.paid");
        }
        if (await e.Db.Payments.AnyAsync(p => p.StripeCheckoutSessionId == sessionId, e.CancellationToken))
        {
            return new AppliedEvent("session already booked");
        }
        var pledge = await PledgeAsync(e, Metadata(e.Data), Text(e.Data, "client_reference_id"), null);
        if (pledge is null)
        {
            return new AppliedEvent("paid session for no pledge of ours");
        }
        var paymentIntent = e.Data.TryGetProperty("payment_intent", out var intent) ? intent : default;
        var paymentIntentId = IdOf(e.Data, "payment_intent");
        var fee = FeeOf(paymentIntent);
        var amount = Long(e.Data, "amount_total");
        var currency = Text(e.Data, "currency")?.ToUpperInvariant();
        if (Unbookable(amount, currency) is { } reason)
        {
            return AppliedEvent.ForReview($"Checkout Session {sessionId} for pledge {pledge.Id}: {reason}");
        }
        var payment = await BookAsync(e, pledge, amount, currency!, fee, $"Card payment (Stripe Checkout {sessionId})",
            sessionId, paymentIntentId, null);
        return new AppliedEvent($"payment {payment.Id} booked for pledge {pledge.Id}");
    }

    private async Task<AppliedEvent> SessionFailedAsync(EventContext e)
    {
        var pledge = await PledgeAsync(e, Metadata(e.Data), Text(e.Data, "client_reference_id"), null);
        var installment = pledge?.Installments.Where(i => i.IsOpen).OrderBy(i => i.Sequence).FirstOrDefault();
        if (pledge is null || installment is null)
        {
            return new AppliedEvent("failed session for nothing open");
        }
        installment.MarkFailed();
        e.Db.Audit("installment.payment-failed", nameof(Installment), Key(installment.Id), StripeActor, e.At, pledge.OrganisationId,
            null, new { session = Text(e.Data, "id"), status = installment.Status.ToString() });
        return new AppliedEvent($"installment {installment.Id} failed",
            FailedEmail(pledge, installment, "The bank transfer or delayed card payment you started in Stripe Checkout did not go through."));
    }

    private async Task<AppliedEvent> InvoicePaidAsync(EventContext e)
    {
        var invoiceId = Text(e.Data, "id")!;
        if (await e.Db.Payments.AnyAsync(p => p.StripeInvoiceId == invoiceId, e.CancellationToken))
        {
            return new AppliedEvent("invoice already booked");
        }
        var (metadata, subscriptionId) = InvoiceSubscription(e.Data);
        var pledge = await PledgeAsync(e, metadata, null, subscriptionId);
        var amount = Long(e.Data, "amount_paid");
        var currency = Text(e.Data, "currency")?.ToUpperInvariant();
        // An invoice with nothing to pay (a trial, a full discount) is normal and books nothing; a paid invoice our books cannot hold is not.
        if (pledge is null || amount == 0)
        {
            return new AppliedEvent(pledge is null ? "invoice for no pledge of ours" : "nothing paid on this invoice");
        }
        if (Unbookable(amount, currency) is { } reason)
        {
            return AppliedEvent.ForReview($"invoice {invoiceId} for pledge {pledge.Id}: {reason}");
        }
        if (subscriptionId is not null && pledge.StripeSubscriptionId is null)
        {
            // invoice.paid can arrive before checkout.session.completed: link the subscription here, whichever comes first.
            pledge.LinkSubscription(subscriptionId);
        }
        var paymentIntentId = InvoicePaymentIntent(e.Data);
        var payment = await BookAsync(e, pledge, amount, currency!, 0,
            $"Card payment (Stripe invoice {invoiceId})", null, paymentIntentId, invoiceId);
        return new AppliedEvent($"payment {payment.Id} booked for pledge {pledge.Id}");
    }

    private async Task<AppliedEvent> InvoiceFailedAsync(EventContext e)
    {
        var (metadata, subscriptionId) = InvoiceSubscription(e.Data);
        var pledge = await PledgeAsync(e, metadata, null, subscriptionId);
        var installment = pledge?.Installments.Where(i => i.IsOpen && i.DueDate <= DateOnly.FromDateTime(e.At).AddDays(1))
            .OrderBy(i => i.Sequence).FirstOrDefault()
            ?? pledge?.Installments.Where(i => i.IsOpen).OrderBy(i => i.Sequence).FirstOrDefault();
        if (pledge is null || installment is null)
        {
            return new AppliedEvent("failed invoice for nothing open");
        }
        installment.MarkFailed();
        var attempt = Long(e.Data, "attempt_count");
        e.Db.Audit("installment.payment-failed", nameof(Installment), Key(installment.Id), StripeActor, e.At, pledge.OrganisationId,
            null, new { invoice = Text(e.Data, "id"), attempt, status = installment.Status.ToString() });
        // One event per invoice and attempt, and each event is applied once: so one email per invoice and attempt.
        return new AppliedEvent($"installment {installment.Id} past due (attempt {attempt})",
            FailedEmail(pledge, installment, $"Stripe could not take the card payment (attempt {attempt}). Please update the card in the payment email Stripe sent you."));
    }

    private async Task<AppliedEvent> ChargeRefundedAsync(EventContext e)
    {
        var paymentIntentId = IdOf(e.Data, "payment_intent");
        var invoiceId = IdOf(e.Data, "invoice");
        var payment = paymentIntentId is null ? null
            : await e.Db.Payments.SingleOrDefaultAsync(p => p.StripePaymentIntentId == paymentIntentId, e.CancellationToken);
        if (payment is null && invoiceId is not null)
        {
            payment = await e.Db.Payments.SingleOrDefaultAsync(p => p.StripeInvoiceId == invoiceId, e.CancellationToken);
        }
        if (payment is null)
        {
            // The payment is not booked yet (its own event is still on the way): fail so Stripe retries this one later.
            throw new InvalidOperationException($"No booked payment for refunded charge {Text(e.Data, "id")} yet.");
        }
        var refunds = new List<(string Id, long Amount, string? Currency, string? Reason, DateTime At)>();
        if (e.Data.TryGetProperty("refunds", out var list) && list.ValueKind == JsonValueKind.Object && list.TryGetProperty("data", out var items))
        {
            foreach (var refund in items.EnumerateArray().Where(r => Text(r, "status") is "succeeded" or "pending"))
            {
                refunds.Add((Text(refund, "id")!, Long(refund, "amount"), Text(refund, "currency")?.ToUpperInvariant(), Text(refund, "reason"), UnixOr(refund, "created", e.At)));
            }
        }
        else if (paymentIntentId is not null && stripe.Enabled)
        {
            // Since 2022 Stripe no longer puts the refunds on the charge: ask for them.
            foreach (var refund in (await stripe.ListRefundsAsync(paymentIntentId, e.CancellationToken)).Data.Where(r => r.Status is "succeeded" or "pending"))
            {
                refunds.Add((refund.Id, refund.Amount, refund.Currency.ToUpperInvariant(), refund.Reason, refund.Created));
            }
        }
        var booked = 0;
        var unbookable = new List<string>();
        foreach (var refund in refunds)
        {
            var reason = Unbookable(refund.Amount, refund.Currency)
                ?? (refund.Currency != payment.Currency ? $"the refund is in {refund.Currency}, the payment in {payment.Currency}." : null);
            if (reason is not null)
            {
                unbookable.Add($"refund {refund.Id} on payment {payment.Id}: {reason}");
                continue;
            }
            if (await RefundPayment.BookAsync(e.Db, payment, refund.Id, new Money(refund.Amount, refund.Currency!), refund.Reason, refund.At, portal.Value.BaseCurrency,
                    StripeActor, e.CancellationToken))
            {
                booked++;
            }
        }
        var note = $"{booked} refund(s) booked on payment {payment.Id}";
        return unbookable.Count == 0 ? new AppliedEvent(note) : new AppliedEvent(note, NeedsReview: string.Join(" ", unbookable));
    }

    private async Task<AppliedEvent> SubscriptionDeletedAsync(EventContext e)
    {
        var subscriptionId = Text(e.Data, "id");
        var pledge = await PledgeAsync(e, Metadata(e.Data), null, subscriptionId);
        if (pledge is null)
        {
            return new AppliedEvent("subscription of no pledge of ours");
        }
        if (pledge.Status == PledgeStatus.Cancelled)
        {
            return new AppliedEvent("pledge already cancelled");
        }
        var before = pledge.Status;
        var cancelled = pledge.Cancel(StripeActor, "The card subscription ended in Stripe.", DateOnly.FromDateTime(e.At), e.At);
        if (!cancelled.Succeeded)
        {
            return new AppliedEvent("pledge already ended: " + cancelled.Problem!.Message);
        }
        e.Db.Audit("pledge.cancelled", nameof(Pledge), Key(pledge.Id), StripeActor, e.At, pledge.OrganisationId,
            new { status = before.ToString() }, new { status = pledge.Status.ToString(), subscription = subscriptionId });
        return new AppliedEvent($"pledge {pledge.Id} ended with its subscription");
    }

    private static Task<AppliedEvent> LinkSubscriptionAsync(EventContext e, Pledge pledge, string subscriptionId)
    {
        if (pledge.StripeSubscriptionId == subscriptionId)
        {
            return Task.FromResult(new AppliedEvent("subscription already linked"));
        }
        pledge.LinkSubscription(subscriptionId);
        e.Db.Audit("pledge.subscription-linked", nameof(Pledge), Key(pledge.Id), StripeActor, e.At, pledge.OrganisationId, null,
            new { subscription = subscriptionId });
        return Task.FromResult(new AppliedEvent($"subscription linked to pledge {pledge.Id}"));
    }

    /// <summary>
    /// Books money Stripe took through <see cref="BookPayment"/>. Amount or currency other than what the pledge asks are booked (the money
    /// did arrive) but flagged for a reviewer and not counted against the installment.
    /// </summary>
    private async Task<Payment> BookAsync(EventContext e, Pledge pledge, long amount, string currency, long feeBase, string description,
        string? sessionId, string? paymentIntentId, string? invoiceId)
    {
        if (Unbookable(amount, currency) is not null)
        {
            // The callers close such an event for review before they get here.
            throw new InvalidOperationException($"Stripe sent an amount ({amount}) or currency ({currency}) the portal cannot book.");
        }
        var installment = pledge.Installments.Where(i => i.IsOpen).OrderBy(i => i.Sequence).FirstOrDefault();
        var expected = pledge.IsRecurring ? pledge.AmountMinor : installment?.OutstandingUnits ?? pledge.AmountMinor;
        string? flag = null;
        if (currency != pledge.Currency || amount != expected)
        {
            flag = $"Stripe took {new Money(amount, currency)} but the pledge asks {new Money(expected, pledge.Currency)}.";
        }
        else if (installment is null)
        {
            flag = "Nothing was open on the pledge for this payment.";
        }
        var money = new Money(amount, currency);
        var baseCurrency = portal.Value.BaseCurrency;
        decimal rate = 1;
        if (currency != baseCurrency)
        {
            // Stripe settles in its own currency; until a rate source exists, the last rate a reviewer recorded for this currency is used
            // and the payment is flagged when there is none.
            var last = await e.Db.Payments.AsNoTracking().Where(p => p.Currency == currency && p.BaseCurrency == baseCurrency && p.Status != PaymentStatus.Flagged)
                .OrderByDescending(p => p.ReceivedAt).Select(p => (decimal?)p.ExchangeRate).FirstOrDefaultAsync(e.CancellationToken);
            rate = last ?? 1;
            if (last is null)
            {
                flag ??= $"No exchange rate from {currency} to {baseCurrency} is known; booked at 1 until a reviewer corrects it.";
            }
        }
        var baseAmount = money.ConvertTo(baseCurrency, rate).Value;
        var externalId = "stripe:" + (invoiceId ?? paymentIntentId ?? sessionId);
        var receipt = new PaymentReceipt(pledge.OrganisationId, pledge.Id, installment?.Id, pledge.FundId, PaymentChannel.Stripe, money, baseAmount,
            rate, e.At, invoiceId ?? sessionId, externalId, null, feeBase, sessionId, paymentIntentId, invoiceId);
        return await BookPayment.BookAsync(e.Db, pledge, installment, receipt, $"{description} from {pledge.Organisation?.Name}", e.At,
            e.CancellationToken, flag);
    }

    /// <summary>Why Stripe's amount and currency cannot be booked at all (not merely differ from the pledge), or null when they can.</summary>
    private static string? Unbookable(long amount, string? currency) =>
        currency is null || !Currency.IsKnown(currency) ? $"Stripe sent the currency \"{currency}\", which the portal does not know."
        : amount <= 0 ? $"Stripe sent an amount of {amount} minor units; only more than 0 can be booked."
        : null;

    private static async Task<Pledge?> PledgeAsync(EventContext e, JsonElement? metadata, string? clientReference, string? subscriptionId)
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

    private static (JsonElement? Metadata, string? SubscriptionId) InvoiceSubscription(JsonElement invoice)
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

    private static string? InvoicePaymentIntent(JsonElement invoice)
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

    /// <summary>Stripe's fee, when the payment intent arrives expanded down to its balance transaction, already in the base currency.</summary>
    private long FeeOf(JsonElement paymentIntent)
    {
        if (paymentIntent.ValueKind != JsonValueKind.Object || !paymentIntent.TryGetProperty("latest_charge", out var charge)
            || charge.ValueKind != JsonValueKind.Object || !charge.TryGetProperty("balance_transaction", out var balance)
            || balance.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }
        return string.Equals(Text(balance, "currency"), portal.Value.BaseCurrency, StringComparison.OrdinalIgnoreCase) ? Long(balance, "fee") : 0;
    }

    private static OutgoingEmail? FailedEmail(Pledge pledge, Installment installment, string what) =>
        string.IsNullOrWhiteSpace(pledge.Organisation?.BillingEmail) ? null : new OutgoingEmail(pledge.Organisation.BillingEmail,
            $"Card payment failed: {pledge.Organisation.Name}",
            $"<p>Hello {WebUtility.HtmlEncode(pledge.Organisation.Name)},</p><p>{WebUtility.HtmlEncode(what)}</p>" +
            $"<p>Installment {installment.Sequence} of your pledge (reference PLEDGE-{pledge.Id}-{installment.Sequence}) is now past due.</p>");

    private static JsonElement? Metadata(JsonElement element) =>
        element.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? metadata : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An id field that Stripe sends either as a string or, when expanded, as an object with an id.</summary>
    private static string? IdOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Object => Text(value, "id"),
                _ => null,
            }
            : null;

    private static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static DateTime UnixOr(JsonElement element, string name, DateTime fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds(value.GetInt64()).UtcDateTime
            : fallback;

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);
}
