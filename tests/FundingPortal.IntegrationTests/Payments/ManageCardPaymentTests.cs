using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Payments;
using FundingPortal.Web.Features.Pledges;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Payments;

[Collection(StripePortalTests.Name)]
public class ManageCardPaymentTests(StripePortalFactory portal)
{
    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<(Sponsorship Arrange, Pledge Pledge, Payment Payment)> PaidAsync(long amount = 10_000)
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(amount);
        var intent = $"pi_{Guid.NewGuid():N}";
        await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, amount, "usd", paymentIntentId: intent));
        await using var db = portal.NewDbContext();
        return (arrange, pledge, await db.Payments.SingleAsync(p => p.PledgeId == pledge.Id));
    }

    private Task<Result<int>> RefundAsync(int paymentId, string? amount, string userId, string? reason = "Duplicate payment") =>
        portal.WithScopeAsync<RefundPayment, Result<int>>(h => h.RequestAsync(paymentId, amount, reason, userId));

    [Fact]
    public async Task A_reviewer_refunds_in_part_through_stripe_with_an_idempotency_key_and_nothing_is_booked_until_stripe_confirms()
    {
        var (arrange, _, payment) = await PaidAsync();

        var result = await RefundAsync(payment.Id, "30.00", arrange.Reviewer.Id);

        Assert.True(result.Succeeded, result.Problem?.Message);
        var request = Assert.Single(portal.Stripe.RequestsTo("POST", "/v1/refunds"), r => r.Form.GetValueOrDefault("payment_intent") == payment.StripePaymentIntentId);
        Assert.Equal(($"refund:{result.Value}", "3000"), (request.IdempotencyKey, request.Form["amount"]));
        await using (var db = portal.NewDbContext())
        {
            Assert.False(await db.Refunds.AnyAsync(r => r.PaymentId == payment.Id));
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "refund.requested" && a.EntityId == Key(payment.Id) && a.UserId == arrange.Reviewer.Id));
        }

        // Stripe's event books it, once.
        var stripeRefundId = (await portal.NewDbContext().RefundRequests.SingleAsync(r => r.Id == result.Value)).StripeRefundId!;
        var charge = FakeStripe.RefundedCharge(payment.StripePaymentIntentId!, 10_000, "usd", (stripeRefundId, 3_000));
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("charge.refunded", charge)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("charge.refunded", charge)).StatusCode);
        await using var after = portal.NewDbContext();
        Assert.Equal(-3_000L, (await after.LedgerEntries.SingleAsync(e => e.PaymentId == payment.Id && e.Kind == LedgerEntryKind.Refund)).AmountMinor);
        Assert.True(await after.AuditEvents.AnyAsync(a => a.Action == "refund.booked" && a.EntityId == Key(payment.Id)));
    }

    [Fact]
    public async Task A_sponsor_cannot_refund_and_more_than_was_paid_is_refused_without_calling_stripe()
    {
        var (arrange, _, payment) = await PaidAsync();

        var bySponsor = await RefundAsync(payment.Id, null, arrange.Sponsor.Id);
        var tooMuch = await RefundAsync(payment.Id, "100.01", arrange.Reviewer.Id);
        var noReason = await RefundAsync(payment.Id, "1.00", arrange.Reviewer.Id, reason: " ");

        Assert.Equal(ProblemKind.Forbidden, bySponsor.Problem!.Kind);
        Assert.Equal("amount", tooMuch.Problem!.Field);
        Assert.Equal("reason", noReason.Problem!.Field);
        Assert.DoesNotContain(portal.Stripe.RequestsTo("POST", "/v1/refunds"), r => r.Form.GetValueOrDefault("payment_intent") == payment.StripePaymentIntentId);
    }

    [Fact]
    public async Task Pausing_resuming_and_cancelling_a_card_subscription_changes_it_in_stripe_and_our_installments_follow()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(5_000, schedule: Given.Monthly(Given.Today, 12));
        var subscription = $"sub_{Guid.NewGuid():N}";
        await portal.PostWebhookAsync("checkout.session.completed",
            FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 5_000, "usd", mode: "subscription", subscriptionId: subscription));
        Task<Result<PledgeStatus>> Manage(Func<ManagePledge, Task<Result<PledgeStatus>>> use) => portal.WithScopeAsync(use);

        var paused = await Manage(m => m.PauseAsync(arrange.OrganisationId, pledge.Id, arrange.Sponsor.Id));
        Assert.Equal(PledgeStatus.Paused, paused.Value);
        var pause = Assert.Single(portal.Stripe.RequestsTo("POST", $"/v1/subscriptions/{subscription}"));
        Assert.Equal("void", pause.Form["pause_collection[behavior]"]);
        await using (var db = portal.NewDbContext())
        {
            Assert.Contains(await db.Installments.Where(i => i.PledgeId == pledge.Id).Select(i => i.Status).ToListAsync(), s => s == InstallmentStatus.Paused);
        }

        Assert.Equal(PledgeStatus.Active, (await Manage(m => m.ResumeAsync(arrange.OrganisationId, pledge.Id, arrange.Sponsor.Id))).Value);
        var resume = portal.Stripe.RequestsTo("POST", $"/v1/subscriptions/{subscription}").Last();
        Assert.Equal("", resume.Form["pause_collection"]);
        Assert.NotEqual(pause.IdempotencyKey, resume.IdempotencyKey);

        Assert.Equal(PledgeStatus.Cancelled, (await Manage(m => m.CancelAsync(arrange.OrganisationId, pledge.Id, "Budget cut", arrange.Sponsor.Id))).Value);
        Assert.Single(portal.Stripe.RequestsTo("DELETE", $"/v1/subscriptions/{subscription}"));
    }

    [Fact]
    public async Task When_stripe_refuses_a_pause_nothing_changes_here()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(5_000, schedule: Given.Monthly(Given.Today, 12));
        await portal.PostWebhookAsync("checkout.session.completed",
            FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 5_000, "usd", mode: "subscription", subscriptionId: $"sub_{Guid.NewGuid():N}"));
        portal.Stripe.FailWith = 500;
        Result<PledgeStatus> result;
        try
        {
            result = await portal.WithScopeAsync<ManagePledge, Result<PledgeStatus>>(m => m.PauseAsync(arrange.OrganisationId, pledge.Id, arrange.Sponsor.Id));
        }
        finally
        {
            portal.Stripe.FailWith = null;
        }

        Assert.Equal(ProblemKind.Conflict, result.Problem!.Kind);
        await using var db = portal.NewDbContext();
        Assert.Equal(PledgeStatus.Active, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
    }

    [Fact]
    public async Task Reconciliation_shows_what_stripe_has_and_the_ledger_lacks_and_books_it_once_through_the_webhook_code()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(6_000);
        Assert.True((await portal.StartCheckoutAsync(arrange, pledge.Id)).Succeeded);
        await using (var db = portal.NewDbContext())
        {
            var customer = (await db.Organisations.SingleAsync(o => o.Id == arrange.OrganisationId)).StripeCustomerId!;
            var session = FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 6_000, "usd");
            session["customer"] = customer;
            portal.Stripe.ListedSessions.Add(session);
        }
        var admin = await portal.CreateAdminAsync();

        var missing = await portal.WithScopeAsync<Reconcile, Result<IReadOnlyList<MissingInStripe>>>(r => r.FindMissingAsync(admin.Id));
        var item = Assert.Single(missing.Value!, m => m.OrganisationId == arrange.OrganisationId);
        Assert.Equal(("Checkout payment", "60.00 USD"), (item.Kind, item.Amount));

        var booked = await portal.WithScopeAsync<Reconcile, Result<bool>>(r => r.BookAsync(item.StripeId, admin.Id));
        Assert.True(booked.Value);
        // The webhook for the same session arriving late books nothing more.
        await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 6_000, "usd", item.StripeId));
        await using var after = portal.NewDbContext();
        Assert.Equal(1, await after.Payments.CountAsync(p => p.PledgeId == pledge.Id));
        var again = await portal.WithScopeAsync<Reconcile, Result<IReadOnlyList<MissingInStripe>>>(r => r.FindMissingAsync(admin.Id));
        Assert.DoesNotContain(again.Value!, m => m.OrganisationId == arrange.OrganisationId);

        var reviewerTry = await portal.WithScopeAsync<Reconcile, Result<IReadOnlyList<MissingInStripe>>>(r => r.FindMissingAsync(arrange.Reviewer.Id));
        Assert.Equal(ProblemKind.Forbidden, reviewerTry.Problem!.Kind);
    }

    [Fact]
    public void The_options_never_print_the_keys()
    {
        var options = new StripeOptions { SecretKey = FakeStripe.SecretKey, WebhookSecret = FakeStripe.WebhookSecret, ApiBase = "http://127.0.0.1:1" };

        Assert.DoesNotContain("sk_", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", options.ToString(), StringComparison.Ordinal);
    }
}
