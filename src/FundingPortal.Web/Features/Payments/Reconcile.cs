using System.Text.Json.Nodes;


using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Payments;

/// <summary>Something Stripe has that our ledger lacks.</summary>
public sealed record MissingInStripe(string Kind, string StripeId, int OrganisationId, string Organisation, string Amount, DateTime Created, string EventType, string EventJson);

/// <summary>
/// Compares Stripe with our books: paid Checkout Sessions and invoices of our customers, and refunds on our card payments, from
/// the last <see cref="LookBackDays"/> days. What is missing can be booked, through the same code as the webhook: it is stored as
/// an event (id <c>reconcile:{stripe id}</c>) and applied like one, so a webhook arriving later books nothing twice.
/// </summary>
public sealed class Reconcile(IDbContextFactory<AppDbContext> contexts, Handlers handlers, StripeGateway stripe, ReceiveStripeEvent events, TimeProvider clock)
{
    public const int LookBackDays = 30;

    private static readonly HandlerRules Admins = new(Caller.Admin, "Only admins reconcile Stripe.");

    /// <summary>What Stripe has that the ledger lacks; a Stripe failure is the problem, in Stripe's words.</summary>
    public Task<Result<IReadOnlyList<MissingInStripe>>> FindMissingAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Admins, async _ =>
        {
            try
            {
                return Result<IReadOnlyList<MissingInStripe>>.Ok(await FindAsync(cancellationToken));
            }
            catch (StripeUnavailableException e)
            {
                return Result<IReadOnlyList<MissingInStripe>>.Conflict(e.Message);
            }
        }, cancellationToken);

    /// <summary>The comparison itself, for the page and for the scheduled job.</summary>
    public async Task<IReadOnlyList<MissingInStripe>> FindAsync(CancellationToken cancellationToken = default)
    {
        if (!stripe.Enabled)
        {
            return [];
        }
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-LookBackDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var customers = await db.Organisations.AsNoTracking().Where(o => o.StripeCustomerId != null)
            .Select(o => new { o.Id, o.Name, Customer = o.StripeCustomerId! }).ToListAsync(cancellationToken);
        var missing = new List<MissingInStripe>();
        foreach (var customer in customers)
        {
            foreach (var session in (await stripe.ListCheckoutSessionsAsync(customer.Customer, since, cancellationToken)).Data
                .Where(s => s.Mode == "payment" && s.PaymentStatus == "paid"))
            {
                if (!await db.Payments.AnyAsync(p => p.StripeCheckoutSessionId == session.Id, cancellationToken))
                {
                    missing.Add(new MissingInStripe("Checkout payment", session.Id, customer.Id, customer.Name, Display.StripeAmount(session.AmountTotal ?? 0, session.Currency),
                        session.Created, "checkout.session.completed", session.ToJson()));
                }
            }
            foreach (var invoice in (await stripe.ListInvoicesAsync(customer.Customer, since, cancellationToken)).Data.Where(i => i.AmountPaid > 0))
            {
                if (!await db.Payments.AnyAsync(p => p.StripeInvoiceId == invoice.Id, cancellationToken))
                {
                    missing.Add(new MissingInStripe("Subscription invoice", invoice.Id, customer.Id, customer.Name, Display.StripeAmount(invoice.AmountPaid, invoice.Currency),
                        invoice.Created, "invoice.paid", invoice.ToJson()));
                }
            }
        }
        var cardPayments = await db.Payments.AsNoTracking()
            .Where(p => p.Channel == PaymentChannel.Stripe && p.StripePaymentIntentId != null && p.ReceivedAt >= since)
            .Select(p => new { p.OrganisationId, Intent = p.StripePaymentIntentId!, Organisation = db.Organisations.Where(o => o.Id == p.OrganisationId).Select(o => o.Name).First() })
            .ToListAsync(cancellationToken);
        foreach (var payment in cardPayments)
        {
            foreach (var refund in (await stripe.ListRefundsAsync(payment.Intent, cancellationToken)).Data.Where(r => r.Status is "succeeded" or "pending"))
            {
                if (!await db.Refunds.AnyAsync(r => r.ExternalId == refund.Id, cancellationToken))
                {
                    var charge = new JsonObject
                    {
                        ["id"] = refund.ChargeId,
                        ["object"] = "charge",
                        ["payment_intent"] = payment.Intent,
                        ["refunds"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(JsonNode.Parse(refund.ToJson())) },
                    };
                    missing.Add(new MissingInStripe("Refund", refund.Id, payment.OrganisationId, payment.Organisation, Display.StripeAmount(refund.Amount, refund.Currency),
                        refund.Created, "charge.refunded", charge.ToJsonString()));
                }
            }
        }
        return missing;
    }

    /// <summary>Books one missing item as if its webhook had arrived.</summary>
    public Task<Result<bool>> BookAsync(string stripeId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Admins, async _ =>
        {
            MissingInStripe? item;
            try
            {
                item = (await FindAsync(cancellationToken)).FirstOrDefault(m => m.StripeId == stripeId);
            }
            catch (StripeUnavailableException e)
            {
                return Result<bool>.Conflict(e.Message);
            }
            if (item is null)
            {
                return Result<bool>.Ok(false);
            }
            var envelope = new JsonObject
            {
                ["id"] = $"reconcile:{item.StripeId}",
                ["object"] = "event",
                ["type"] = item.EventType,
                ["created"] = new DateTimeOffset(item.Created, TimeSpan.Zero).ToUnixTimeSeconds(),
                ["data"] = new JsonObject { ["object"] = JsonNode.Parse(item.EventJson) },
            };
            return await events.ReceiveTrustedAsync($"reconcile:{item.StripeId}", item.EventType, envelope.ToJsonString(), userId, cancellationToken) switch
            {
                WebhookOutcome.Applied => Result<bool>.Ok(true),
                WebhookOutcome.NeedsReview => Result<bool>.Conflict("Its amount or currency cannot be booked; it is listed under the events that need review."),
                _ => Result<bool>.Conflict("It could not be booked; the reason is in the log. Try again later."),
            };
        }, cancellationToken);
}

/// <summary>The scheduled side of reconciliation: retries stored events that failed, and logs what Stripe has that the ledger lacks.</summary>
public sealed class ReconcileJob(Reconcile reconcile, ReceiveStripeEvent events, IOptions<StripeOptions> options, StripeGateway stripe, TimeProvider clock,
    ILogger<ReconcileJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.ReconcileIntervalMinutes;
        if (minutes == 0 || !stripe.Enabled)
        {
            return;
        }
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var retried = await events.RetryPendingAsync(TimeSpan.FromMinutes(5), stoppingToken);
                var missing = await reconcile.FindAsync(stoppingToken);
                logger.LogInformation("Stripe reconciliation: {Retried} stored events applied on retry, {Missing} items in Stripe missing from the ledger.",
                    retried, missing.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Stripe reconciliation failed; trying again in {Minutes} minutes.", minutes);
            }
        }
    }
}
