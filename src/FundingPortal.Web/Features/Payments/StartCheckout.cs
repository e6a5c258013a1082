using FundingPortal.Web.Features.Organisations;

using Stripe.Checkout;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// Sends a sponsor member to Stripe Checkout for one of their organisation's accepted card pledges: <c>mode=payment</c> for a
/// one-off pledge (the earliest open installment), <c>mode=subscription</c> for a recurring one. The amount comes from the pledge,
/// never from the browser. The organisation's Stripe customer is reused or created; every POST carries an idempotency key made
/// from our rows, so a double click or a retry creates nothing twice. Nothing is booked here: money is booked from the webhook.
/// </summary>
public sealed class StartCheckout(Handlers handlers, StripeGateway stripe, ILogger<StartCheckout> logger)
{
    private static readonly HandlerRules Members = new(Caller.SignedIn, "Sign in to pay by card.",
        "The pledge changed at the same moment. Reload the page and try again.");

    public Task<Result<string>> StartAsync(int organisationId, int pledgeId, string userId, Uri portalBase, CancellationToken cancellationToken = default) =>
        stripe.Enabled
            ? handlers.RunAsync(userId, Members, scope => StartAsync(scope, organisationId, pledgeId, portalBase, cancellationToken), cancellationToken)
            : Task.FromResult(Result<string>.Conflict("Card payment is not available on this portal; pay by invoice or bank transfer."));

    private async Task<Result<string>> StartAsync(HandlerScope scope, int organisationId, int pledgeId, Uri portalBase, CancellationToken cancellationToken)
    {
        var (db, userId, now) = scope;
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        var pledge = organisation is null
            ? null
            : await db.Pledges.Include(p => p.Installments).Include(p => p.Fund)
                .SingleOrDefaultAsync(p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellationToken);
        if (organisation is null || pledge is null)
        {
            return Result<string>.NotFound("The pledge");
        }
        if (!pledge.CanPayByCard)
        {
            return Result<string>.Conflict(pledge.PaymentMethod != PaymentMethod.Card
                ? "This pledge is paid by invoice or bank transfer, not by card."
                : $"Only an accepted, running pledge can be paid by card; this one is {pledge.Status}.");
        }
        if (pledge.PaymentTiming == PaymentTiming.OnCompletion && pledge.PaymentRequestedAt is null)
        {
            return Result<string>.Conflict("This pledge is paid when its task is done; you will get an email with the payment link then.");
        }
        var installment = pledge.Installments.Where(i => i.IsOpen).OrderBy(i => i.Sequence).FirstOrDefault();
        if (!pledge.IsRecurring && installment is null)
        {
            return Result<string>.Conflict("Nothing is waiting to be paid on this pledge.");
        }
        if (pledge.IsRecurring && pledge.StripeSubscriptionId is not null)
        {
            return Result<string>.Conflict("This pledge already has a card subscription; Stripe takes each installment as it falls due.");
        }

        try
        {
            if (organisation.StripeCustomerId is null)
            {
                var customer = await stripe.CreateCustomerAsync(new Stripe.CustomerCreateOptions
                {
                    Name = organisation.Name,
                    Email = organisation.BillingEmail,
                    Metadata = new Dictionary<string, string> { ["organisation_id"] = Key(organisation.Id) },
                }, $"organisation:{organisation.Id}:customer", cancellationToken);
                organisation.LinkStripeCustomer(customer.Id);
                db.Audit("organisation.stripe-customer", nameof(Organisation), Key(organisation.Id), userId, now, organisation.Id, null, new { customer = customer.Id });
                await db.SaveChangesAsync(cancellationToken);
            }
            var attempt = pledge.NextCheckoutAttempt(now);
            // One-off: what is still open on its installment; recurring: the amount per period, which Stripe takes each period.
            var amount = pledge.IsRecurring ? pledge.AmountMinor : installment!.OutstandingUnits;
            var session = await stripe.CreateCheckoutSessionAsync(Options(pledge, organisation, portalBase, amount),
                $"pledge:{pledge.Id}:checkout:{attempt}", cancellationToken);
            pledge.CheckoutStarted(attempt, session.Id, now);
            db.Audit("pledge.checkout-started", nameof(Pledge), Key(pledge.Id), userId, now, organisation.Id, null,
                new { session = session.Id, attempt, amount = pledge.Amount.ToString(), recurring = pledge.IsRecurring });
            await db.SaveChangesAsync(cancellationToken);
            return Result<string>.Ok(session.Url);
        }
        catch (StripeUnavailableException e)
        {
            logger.LogWarning("Checkout for pledge {PledgeId} failed: {Reason}", pledge.Id, e.Message);
            return Result<string>.Conflict("Stripe could not start the card payment just now; nothing was charged. Try again in a few minutes.");
        }
    }

    /// <summary>The Checkout request: pledge and organisation ids on the session and on what it creates (metadata is not copied for us).</summary>
    public static SessionCreateOptions Options(Pledge pledge, Organisation organisation, Uri portalBase, long amountMinor)
    {
        var metadata = new Dictionary<string, string> { ["pledge_id"] = Key(pledge.Id), ["organisation_id"] = Key(organisation.Id) };
        var name = $"Pledge to {pledge.Fund?.Name ?? "FundingPortal"}";
        var price = new SessionLineItemPriceDataOptions
        {
            Currency = pledge.Currency.ToLowerInvariant(),
            UnitAmount = amountMinor,
            ProductData = new SessionLineItemPriceDataProductDataOptions { Name = name },
        };
        var options = new SessionCreateOptions
        {
            Mode = pledge.IsRecurring ? "subscription" : "payment",
            Customer = organisation.StripeCustomerId,
            ClientReferenceId = Key(pledge.Id),
            Metadata = metadata,
            LineItems = [new SessionLineItemOptions { Quantity = 1, PriceData = price }],
            SuccessUrl = new Uri(portalBase, "payments/success?session_id={CHECKOUT_SESSION_ID}").AbsoluteUri.Replace("%7B", "{", StringComparison.Ordinal).Replace("%7D", "}", StringComparison.Ordinal),
            CancelUrl = new Uri(portalBase, $"organisations/{organisation.Id}/pledges/{pledge.Id}?checkout=cancelled").AbsoluteUri,
        };
        if (pledge.IsRecurring)
        {
            var (interval, count) = pledge.Frequency switch
            {
                PledgeFrequency.Monthly => ("month", 1),
                PledgeFrequency.Quarterly => ("month", 3),
                _ => ("year", 1),
            };
            price.Recurring = new SessionLineItemPriceDataRecurringOptions { Interval = interval, IntervalCount = count };
            options.SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string>(metadata) };
        }
        else
        {
            options.PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) };
        }
        return options;
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);
}
