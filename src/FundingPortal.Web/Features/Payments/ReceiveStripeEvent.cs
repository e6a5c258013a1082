using System.Text.Json;

using FundingPortal.Web.Infrastructure.Email;

using Microsoft.Extensions.Options;

using Stripe;

namespace FundingPortal.Web.Features.Payments;

/// <summary>What the webhook endpoint answers Stripe.</summary>
public enum WebhookOutcome
{
    /// <summary>Bad or missing signature, stale or future timestamp, another API version: 400, nothing stored.</summary>
    Refused,

    /// <summary>Stored and applied (now or before): 200.</summary>
    Applied,

    /// <summary>
    /// Stored, but its amount or currency can never be booked (0, negative, unknown): closed without booking and listed for review, 200,
    /// because sending it again would change nothing.
    /// </summary>
    NeedsReview,

    /// <summary>Stored, but applying it failed and was rolled back: 500, so Stripe sends it again (the job also retries it).</summary>
    Failed,
}

/// <summary>
/// The Stripe webhook: checks the signature over the raw body, stores the event by its id (a duplicate insert is a no-op), then
/// applies it in one transaction that also marks it processed. See docs/adr/0006-stripe-webhooks-exactly-once.md.
/// </summary>
public sealed class ReceiveStripeEvent(
    IDbContextFactory<AppDbContext> contexts,
    IOptions<StripeOptions> options,
    ApplyStripeEvent apply,
    Mailer mailer,
    TimeProvider clock,
    ILogger<ReceiveStripeEvent> logger)
{
    // Applying is serialised within one instance so parallel deliveries of the same event queue up instead of racing;
    // across instances the unique indexes on Stripe ids and the processed mark are the guard.
    private static readonly SemaphoreSlim Applying = new(1, 1);

    public async Task<WebhookOutcome> ReceiveAsync(string json, string? signatureHeader, CancellationToken cancellationToken = default)
    {
        var verified = Verify(json, signatureHeader);
        if (verified is null)
        {
            return WebhookOutcome.Refused;
        }
        await StoreAsync(verified.Value.Id, verified.Value.Type, json, cancellationToken);
        return await ApplyAsync(verified.Value.Id, cancellationToken);
    }

    /// <summary>
    /// Stores and applies an event the portal built itself from what Stripe's API answered (reconciliation): no signature to check,
    /// the data came over our authenticated connection to Stripe. The same store-then-apply path as the webhook.
    /// </summary>
    public async Task<WebhookOutcome> ReceiveTrustedAsync(string id, string type, string json, string userId, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Stripe object {EventId} booked by reconciliation, asked by user {UserId}.", id, userId);
        await StoreAsync(id, type, json, cancellationToken);
        return await ApplyAsync(id, cancellationToken);
    }

    /// <summary>Applies stored events that failed before (or whose instance stopped half-way); used by the reconciliation job.</summary>
    public async Task<int> RetryPendingAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var before = clock.GetUtcNow().UtcDateTime - olderThan;
        List<string> ids;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            ids = await db.StripeEvents.AsNoTracking().Where(e => e.ProcessedAt == null && e.ReceivedAt <= before)
                .OrderBy(e => e.ReceivedAt).Select(e => e.Id).Take(100).ToListAsync(cancellationToken);
        }
        var applied = 0;
        foreach (var id in ids)
        {
            if (await ApplyAsync(id, cancellationToken) != WebhookOutcome.Failed)
            {
                applied++;
            }
        }
        return applied;
    }

    private (string Id, string Type)? Verify(string json, string? header)
    {
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret) || string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        // Stripe.net refuses old timestamps; a timestamp from the future is refused here too (a clock that far off is not Stripe).
        var tolerance = options.Value.WebhookToleranceSeconds;
        var timestamp = header.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("t=", StringComparison.Ordinal))?[2..];
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > tolerance)
        {
            logger.LogWarning("Stripe webhook refused: missing, stale or future timestamp.");
            return null;
        }
        try
        {
            var stripeEvent = EventUtility.ConstructEvent(json, header, secret, tolerance, clock.GetUtcNow().ToUnixTimeSeconds(),
                throwOnApiVersionMismatch: true);
            return (stripeEvent.Id, stripeEvent.Type);
        }
        catch (StripeException e)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", e.Message);
            return null;
        }
        catch (JsonException)
        {
            logger.LogWarning("Stripe webhook refused: the body is not a Stripe event.");
            return null;
        }
    }

    private async Task StoreAsync(string id, string type, string json, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.StripeEvents.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return;
        }
        db.StripeEvents.Add(StripeEvent.Receive(id, type, json, clock.GetUtcNow().UtcDateTime));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The same event delivered twice at once: the other delivery stored it.
        }
    }

    private async Task<WebhookOutcome> ApplyAsync(string id, CancellationToken cancellationToken)
    {
        await Applying.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var stored = await db.StripeEvents.SingleAsync(e => e.Id == id, cancellationToken);
            if (stored.ProcessedAt is not null)
            {
                return stored.NeedsReview ? WebhookOutcome.NeedsReview : WebhookOutcome.Applied;
            }
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var applied = await apply.ApplyAsync(db, stored, cancellationToken);
                var now = clock.GetUtcNow().UtcDateTime;
                if (applied.NeedsReview is { } reason)
                {
                    var trimmed = reason.Length > 2000 ? reason[..2000] : reason;
                    stored.MarkForReview(trimmed, now);
                    db.Audit("stripe.event-needs-review", nameof(StripeEvent), stored.Id, ApplyStripeEvent.StripeActor, now, null, null,
                        new { type = stored.Type, reason = trimmed });
                }
                else
                {
                    stored.MarkProcessed(now);
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                if (applied.NeedsReview is not null)
                {
                    logger.LogWarning("Stripe event {EventId} ({Type}) cannot be booked and needs review: {Reason}", stored.Id, stored.Type, applied.NeedsReview);
                }
                else
                {
                    logger.LogInformation("Stripe event {EventId} ({Type}) applied: {Note}", stored.Id, stored.Type, applied.Note);
                }
                await NotifyAsync(applied.Email, cancellationToken);
                return applied.NeedsReview is null ? WebhookOutcome.Applied : WebhookOutcome.NeedsReview;
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another instance booked the same Stripe object meanwhile: nothing more to do for this event.
                logger.LogInformation("Stripe event {EventId} was already booked by another delivery.", id);
                return await MarkAsync(id, null, cancellationToken) ? WebhookOutcome.Applied : WebhookOutcome.Failed;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Stripe event {EventId} ({Type}) could not be applied; it stays stored for a retry.", stored.Id, stored.Type);
                await MarkAsync(id, e.GetType().Name + ": " + e.Message, cancellationToken);
                return WebhookOutcome.Failed;
            }
        }
        finally
        {
            Applying.Release();
        }
    }

    private async Task NotifyAsync(OutgoingEmail? email, CancellationToken cancellationToken)
    {
        if (email is null)
        {
            return;
        }
        try
        {
            await mailer.SendAsync(email, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The booking stands; a lost notice is logged rather than undoing it.
            logger.LogError(e, "The payment notice to {To} could not be sent.", email.To);
        }
    }

    private async Task<bool> MarkAsync(string id, string? error, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.StripeEvents.SingleAsync(e => e.Id == id, cancellationToken);
        if (error is null)
        {
            stored.MarkProcessed(clock.GetUtcNow().UtcDateTime);
        }
        else
        {
            stored.MarkFailed(error.Length > 2000 ? error[..2000] : error);
        }
        await db.SaveChangesAsync(cancellationToken);
        return error is null;
    }
}
