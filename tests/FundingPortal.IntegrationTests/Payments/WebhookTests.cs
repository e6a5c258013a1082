using System.Net;
using System.Text.Json.Nodes;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Ledger;
using FundingPortal.Web.Features.Payments;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Payments;

[Collection(StripePortalTests.Name)]
public class WebhookTests(StripePortalFactory portal)
{
    [Fact]
    public async Task A_valid_checkout_event_books_one_payment_against_the_installment_with_a_ledger_entry_and_audit()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(12_345);
        await using var before = portal.NewDbContext();
        var balanceBefore = await FundBalances.OfAsync(before, arrange.FundId, "USD");
        var session = FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 12_345, "usd");

        var response = await portal.PostWebhookAsync("checkout.session.completed", session);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.NewDbContext();
        var payment = await db.Payments.SingleAsync(p => p.PledgeId == pledge.Id);
        Assert.Equal((PaymentChannel.Stripe, PaymentStatus.Received, 12_345L, "USD"), (payment.Channel, payment.Status, payment.AmountMinor, payment.Currency));
        Assert.Equal((session["id"]!.ToString(), session["payment_intent"]!.ToString()), (payment.StripeCheckoutSessionId, payment.StripePaymentIntentId));
        var installment = await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id);
        Assert.Equal(InstallmentStatus.Fulfilled, installment.Status);
        Assert.Equal(PledgeStatus.Fulfilled, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
        var entry = await db.LedgerEntries.SingleAsync(e => e.PaymentId == payment.Id);
        Assert.Equal((LedgerEntryKind.Contribution, 12_345L), (entry.Kind, entry.AmountMinor));
        Assert.Equal(balanceBefore.MinorUnits + 12_345, (await FundBalances.OfAsync(db, arrange.FundId, "USD")).MinorUnits);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "payment.recorded" && a.EntityId == Devops.Key(payment.Id)));
        Assert.True(await db.StripeEvents.AnyAsync(e => e.Type == "checkout.session.completed" && e.ProcessedAt != null && e.Payload.Contains(session["id"]!.ToString())));
    }

    public static TheoryData<string> BadSignatures => ["tampered", "wrong-secret", "stale", "future", "missing", "garbage", "other-api-version"];

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_bad_signature_is_refused_with_400_and_nothing_is_stored(string how)
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(1_000);
        var eventId = $"evt_{Guid.NewGuid():N}";
        var json = FakeStripe.Event("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 1_000, "usd"), eventId);
        (string, string?) signed = how switch
        {
            "tampered" => (json.Replace("1000", "9000", StringComparison.Ordinal), FakeStripe.SignatureHeader(json)),
            "wrong-secret" => (json, FakeStripe.SignatureHeader(json, "whsec_someone_else")),
            "stale" => (json, FakeStripe.SignatureHeader(json, at: DateTimeOffset.UtcNow.AddMinutes(-6))),
            "future" => (json, FakeStripe.SignatureHeader(json, at: DateTimeOffset.UtcNow.AddMinutes(6))),
            "garbage" => (json, "t=abc,v1=zzz"),
            "other-api-version" => Resigned(json.Replace(FakeStripe.ApiVersion, "2024-06-20", StringComparison.Ordinal)),
            _ => (json, null),
        };

        var response = await portal.PostWebhookAsync(signed);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = portal.NewDbContext();
        Assert.False(await db.StripeEvents.AnyAsync(e => e.Id == eventId));
        Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == pledge.Id));
    }

    private static (string, string?) Resigned(string json) => (json, FakeStripe.SignatureHeader(json));

    [Fact]
    public async Task Two_v1_signatures_where_the_second_is_right_are_accepted_for_secret_rotation()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(1_000);
        var json = FakeStripe.Event("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 1_000, "usd"));
        var right = FakeStripe.SignatureHeader(json);
        var wrong = FakeStripe.SignatureHeader(json, "whsec_old_secret");
        var header = wrong + "," + right.Split(',')[1];

        var response = await portal.PostWebhookAsync((json, header));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.NewDbContext();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.PledgeId == pledge.Id));
    }

    [Fact]
    public async Task The_same_event_five_times_in_a_row_and_ten_in_parallel_books_one_payment_without_errors()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var first = await arrange.CardAsync(3_000);
        var second = await arrange.CardAsync(4_000);
        var sequential = FakeStripe.SignedEvent("checkout.session.completed", FakeStripe.PaidSession(first.Id, arrange.OrganisationId, 3_000, "usd"));
        var parallel = FakeStripe.SignedEvent("checkout.session.completed", FakeStripe.PaidSession(second.Id, arrange.OrganisationId, 4_000, "usd"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await portal.PostWebhookAsync(sequential)).StatusCode);
        }
        statuses.AddRange((await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => portal.PostWebhookAsync(parallel)))).Select(r => r.StatusCode));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        await using var db = portal.NewDbContext();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.PledgeId == first.Id));
        Assert.Equal(1, await db.Payments.CountAsync(p => p.PledgeId == second.Id));
        Assert.Equal(2, await db.LedgerEntries.CountAsync(e => e.FundId == arrange.FundId && e.Kind == LedgerEntryKind.Contribution));
        Assert.Equal(7_000L, await db.LedgerEntries.Where(e => e.FundId == arrange.FundId).SumAsync(e => e.AmountMinor));
    }

    [Fact]
    public async Task Invoice_paid_before_checkout_completed_books_the_first_month_once_and_links_the_subscription()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(5_000, schedule: Given.Monthly(Given.Today, 12));
        var subscription = $"sub_{Guid.NewGuid():N}";
        var invoice = FakeStripe.PaidInvoice(pledge.Id, arrange.OrganisationId, subscription, 5_000, "usd");
        var session = FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 5_000, "usd", mode: "subscription", subscriptionId: subscription);

        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("invoice.paid", invoice)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("checkout.session.completed", session)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("invoice.paid", invoice)).StatusCode);

        await using var db = portal.NewDbContext();
        var payment = await db.Payments.SingleAsync(p => p.PledgeId == pledge.Id);
        Assert.Equal((invoice["id"]!.ToString(), 5_000L), (payment.StripeInvoiceId, payment.AmountMinor));
        Assert.Equal(subscription, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).StripeSubscriptionId);
        var first = await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id && i.Sequence == 1);
        Assert.Equal((InstallmentStatus.Fulfilled, payment.InstallmentId), (first.Status, (int?)first.Id));

        // The next month's invoice goes to the next installment.
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("invoice.paid", FakeStripe.PaidInvoice(pledge.Id, arrange.OrganisationId, subscription, 5_000, "usd"))).StatusCode);
        await using var after = portal.NewDbContext();
        Assert.Equal(InstallmentStatus.Fulfilled, (await after.Installments.SingleAsync(i => i.PledgeId == pledge.Id && i.Sequence == 2)).Status);
    }

    [Fact]
    public async Task Two_partial_refunds_book_two_reversing_entries_and_a_replayed_refund_books_none()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(10_000);
        var intent = $"pi_{Guid.NewGuid():N}";
        await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 10_000, "usd", paymentIntentId: intent));
        var (re1, re2) = ($"re_{Guid.NewGuid():N}", $"re_{Guid.NewGuid():N}");

        var firstRefund = FakeStripe.RefundedCharge(intent, 10_000, "usd", (re1, 2_500));
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("charge.refunded", firstRefund)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("charge.refunded", FakeStripe.RefundedCharge(intent, 10_000, "usd", (re1, 2_500), (re2, 1_500)))).StatusCode);
        // The first refund event again, under a new event id (Stripe resends): nothing more.
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("charge.refunded", firstRefund)).StatusCode);

        await using var db = portal.NewDbContext();
        var payment = await db.Payments.SingleAsync(p => p.PledgeId == pledge.Id);
        Assert.Equal(PaymentStatus.PartiallyRefunded, payment.Status);
        var refunds = await db.LedgerEntries.Where(e => e.PaymentId == payment.Id && e.Kind == LedgerEntryKind.Refund).OrderBy(e => e.AmountMinor).ToListAsync();
        Assert.Equal([-2_500L, -1_500L], refunds.Select(e => e.AmountMinor));
        Assert.Equal(6_000L, await db.LedgerEntries.Where(e => e.FundId == arrange.FundId).SumAsync(e => e.AmountMinor));
        Assert.Equal(2, await db.Refunds.CountAsync(r => r.PaymentId == payment.Id));
    }

    [Fact]
    public async Task A_failure_in_the_middle_of_applying_leaves_nothing_half_applied_and_the_retry_books_once()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(8_000);
        var signed = FakeStripe.SignedEvent("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 8_000, "usd"));

        portal.Faults.FailNextContributions(1);
        var failed = await portal.PostWebhookAsync(signed);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        await using (var db = portal.NewDbContext())
        {
            Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == pledge.Id));
            Assert.Equal(InstallmentStatus.Scheduled, (await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id)).Status);
            Assert.False(await db.LedgerEntries.AnyAsync(e => e.FundId == arrange.FundId));
            var stored = await db.StripeEvents.SingleAsync(e => e.Payload == signed.Json);
            Assert.Null(stored.ProcessedAt);
            Assert.Contains("Injected failure", stored.LastError, StringComparison.Ordinal);
        }

        var retried = await portal.PostWebhookAsync(signed);
        var again = await portal.PostWebhookAsync(signed);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (retried.StatusCode, again.StatusCode));
        await using var after = portal.NewDbContext();
        Assert.Equal(1, await after.Payments.CountAsync(p => p.PledgeId == pledge.Id));
        Assert.Equal(8_000L, await after.LedgerEntries.Where(e => e.FundId == arrange.FundId).SumAsync(e => e.AmountMinor));
    }

    [Fact]
    public async Task An_amount_or_currency_that_does_not_match_the_pledge_is_booked_but_flagged_and_not_counted()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var wrongAmount = await arrange.CardAsync(10_000);
        var wrongCurrency = await arrange.CardAsync(10_000);

        await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(wrongAmount.Id, arrange.OrganisationId, 100, "usd"));
        await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(wrongCurrency.Id, arrange.OrganisationId, 10_000, "eur"));

        await using var db = portal.NewDbContext();
        foreach (var pledge in new[] { wrongAmount, wrongCurrency })
        {
            var payment = await db.Payments.SingleAsync(p => p.PledgeId == pledge.Id);
            Assert.Equal(PaymentStatus.Flagged, payment.Status);
            Assert.NotNull(payment.FlagReason);
            Assert.Equal(InstallmentStatus.Scheduled, (await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id)).Status);
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "payment.flagged" && a.EntityId == Devops.Key(payment.Id)));
        }
    }

    public static TheoryData<string, long, string> Unbookable => new()
    {
        { "checkout.session.completed", 0, "usd" },
        { "checkout.session.completed", -500, "usd" },
        { "checkout.session.completed", 10_000, "xxx" },
        { "invoice.paid", -500, "usd" },
        { "invoice.paid", 5_000, "xxx" },
    };

    [Theory]
    [MemberData(nameof(Unbookable))]
    public async Task An_amount_or_currency_that_can_never_be_booked_answers_2xx_books_nothing_and_waits_for_review(string type, long amount, string currency)
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = type == "invoice.paid" ? await arrange.CardAsync(5_000, schedule: Given.Monthly(Given.Today, 12)) : await arrange.CardAsync(10_000);
        var eventId = $"evt_{Guid.NewGuid():N}";
        var data = type == "invoice.paid"
            ? FakeStripe.PaidInvoice(pledge.Id, arrange.OrganisationId, $"sub_{Guid.NewGuid():N}", amount, currency)
            : FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, amount, currency);
        var signed = FakeStripe.SignedEvent(type, data, eventId);

        var first = await portal.PostWebhookAsync(signed);
        var again = await portal.PostWebhookAsync(signed);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        await using (var db = portal.NewDbContext())
        {
            Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == pledge.Id));
            Assert.False(await db.LedgerEntries.AnyAsync(e => e.FundId == arrange.FundId));
            Assert.Equal(InstallmentStatus.Scheduled, (await db.Installments.Where(i => i.PledgeId == pledge.Id).OrderBy(i => i.Sequence).FirstAsync()).Status);
            var stored = await db.StripeEvents.SingleAsync(e => e.Id == eventId);
            Assert.True(stored.NeedsReview);
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "stripe.event-needs-review" && a.EntityId == eventId));
        }
        var admin = await portal.CreateAdminAsync();
        var listed = await portal.WithScopeAsync<ReviewStripeEvents, Result<IReadOnlyList<StripeEventForReview>>>(r => r.ListAsync(admin.Id));
        var item = Assert.Single(listed.Value!, e => e.Id == eventId);
        Assert.Equal(type, item.Type);
        Assert.Contains(amount <= 0 ? $"amount of {amount}" : "\"XXX\"", item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refund_in_another_currency_than_its_payment_is_left_for_review_and_the_good_refund_beside_it_is_booked()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(10_000);
        var intent = $"pi_{Guid.NewGuid():N}";
        await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 10_000, "usd", paymentIntentId: intent));
        var (good, odd) = ($"re_{Guid.NewGuid():N}", $"re_{Guid.NewGuid():N}");
        var charge = FakeStripe.RefundedCharge(intent, 10_000, "usd", (good, 1_000), (odd, 2_000));
        charge["refunds"]!["data"]![1]!["currency"] = "xxx";
        var eventId = $"evt_{Guid.NewGuid():N}";

        var response = await portal.PostWebhookAsync("charge.refunded", charge, eventId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.NewDbContext();
        Assert.Equal([good], await db.Refunds.Where(r => r.ExternalId == good || r.ExternalId == odd).Select(r => r.ExternalId).ToListAsync());
        Assert.Equal(9_000L, await db.LedgerEntries.Where(e => e.FundId == arrange.FundId).SumAsync(e => e.AmountMinor));
        var stored = await db.StripeEvents.SingleAsync(e => e.Id == eventId);
        Assert.True(stored.NeedsReview);
        Assert.Contains(odd, stored.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_marks_an_event_reviewed_and_it_leaves_the_list_while_a_reviewer_may_not()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(10_000);
        var eventId = $"evt_{Guid.NewGuid():N}";
        await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 0, "usd"), eventId);
        var admin = await portal.CreateAdminAsync();

        var refused = await portal.WithScopeAsync<ReviewStripeEvents, Result<bool>>(r => r.MarkReviewedAsync(eventId, arrange.Reviewer.Id));
        var reviewerList = await portal.WithScopeAsync<ReviewStripeEvents, Result<IReadOnlyList<StripeEventForReview>>>(r => r.ListAsync(arrange.Reviewer.Id));
        var reviewed = await portal.WithScopeAsync<ReviewStripeEvents, Result<bool>>(r => r.MarkReviewedAsync(eventId, admin.Id));
        var twice = await portal.WithScopeAsync<ReviewStripeEvents, Result<bool>>(r => r.MarkReviewedAsync(eventId, admin.Id));

        Assert.Equal((ProblemKind.Forbidden, ProblemKind.Forbidden), (refused.Problem?.Kind, reviewerList.Problem?.Kind));
        Assert.True(reviewed.Succeeded, reviewed.Problem?.Message);
        Assert.Equal(ProblemKind.Conflict, twice.Problem?.Kind);
        var listed = await portal.WithScopeAsync<ReviewStripeEvents, Result<IReadOnlyList<StripeEventForReview>>>(r => r.ListAsync(admin.Id));
        Assert.DoesNotContain(listed.Value!, e => e.Id == eventId);
        await using var db = portal.NewDbContext();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "stripe.event-reviewed" && a.EntityId == eventId && a.UserId == admin.Id));
        Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == pledge.Id));
    }

    [Fact]
    public async Task Stripes_fee_when_the_event_carries_it_is_its_own_ledger_entry()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(10_000);
        var session = FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 10_000, "usd");
        session["payment_intent"] = new JsonObject
        {
            ["id"] = $"pi_{Guid.NewGuid():N}",
            ["object"] = "payment_intent",
            ["latest_charge"] = new JsonObject
            {
                ["id"] = $"ch_{Guid.NewGuid():N}",
                ["object"] = "charge",
                ["balance_transaction"] = new JsonObject { ["id"] = $"txn_{Guid.NewGuid():N}", ["object"] = "balance_transaction", ["fee"] = 320, ["currency"] = "usd" },
            },
        };

        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("checkout.session.completed", session)).StatusCode);

        await using var db = portal.NewDbContext();
        var payment = await db.Payments.SingleAsync(p => p.PledgeId == pledge.Id);
        var fee = await db.LedgerEntries.SingleAsync(e => e.PaymentId == payment.Id && e.Kind == LedgerEntryKind.Fee);
        Assert.Equal(-320L, fee.AmountMinor);
        Assert.Equal(9_680L, await db.LedgerEntries.Where(e => e.FundId == arrange.FundId).SumAsync(e => e.AmountMinor));
    }

    [Fact]
    public async Task An_unpaid_session_waits_then_async_success_books_it_and_async_failure_marks_the_installment_failed()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var succeeds = await arrange.CardAsync(1_000);
        var fails = await arrange.CardAsync(2_000);
        var pending = FakeStripe.PaidSession(succeeds.Id, arrange.OrganisationId, 1_000, "usd", paymentStatus: "unpaid");

        await portal.PostWebhookAsync("checkout.session.completed", pending);
        await using (var db = portal.NewDbContext())
        {
            Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == succeeds.Id));
        }
        var paid = (JsonObject)pending.DeepClone();
        paid["payment_status"] = "paid";
        await portal.PostWebhookAsync("checkout.session.async_payment_succeeded", paid);
        await portal.PostWebhookAsync("checkout.session.async_payment_failed", FakeStripe.PaidSession(fails.Id, arrange.OrganisationId, 2_000, "usd", paymentStatus: "unpaid"));

        await using var after = portal.NewDbContext();
        Assert.Equal(1, await after.Payments.CountAsync(p => p.PledgeId == succeeds.Id));
        Assert.Equal(InstallmentStatus.Failed, (await after.Installments.SingleAsync(i => i.PledgeId == fails.Id)).Status);
    }

    [Fact]
    public async Task A_failed_invoice_makes_the_installment_past_due_and_emails_once_and_a_deleted_subscription_ends_the_pledge()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(5_000, schedule: Given.Monthly(Given.Today, 12));
        var subscription = $"sub_{Guid.NewGuid():N}";
        await portal.PostWebhookAsync("checkout.session.completed",
            FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 5_000, "usd", mode: "subscription", subscriptionId: subscription));
        var failed = FakeStripe.SignedEvent("invoice.payment_failed", FakeStripe.PaidInvoice(pledge.Id, arrange.OrganisationId, subscription, 0, "usd"));

        await portal.PostWebhookAsync(failed);
        await portal.PostWebhookAsync(failed);

        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(InstallmentStatus.Failed, (await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id && i.Sequence == 1)).Status);
        }
        Assert.Single(portal.EmailsTo(arrange.BillingEmail), e => e.Subject.StartsWith("Card payment failed", StringComparison.Ordinal));

        var deleted = new JsonObject
        {
            ["id"] = subscription,
            ["object"] = "subscription",
            ["status"] = "canceled",
            ["customer"] = "cus_fake",
            ["metadata"] = FakeStripe.Metadata(pledge.Id, arrange.OrganisationId),
        };
        Assert.Equal(HttpStatusCode.OK, (await portal.PostWebhookAsync("customer.subscription.deleted", deleted)).StatusCode);
        await using var after = portal.NewDbContext();
        Assert.Equal(PledgeStatus.Cancelled, (await after.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
    }

    [Fact]
    public async Task An_event_naming_a_pledge_with_another_organisations_id_books_nothing()
    {
        var mine = await portal.Given().SponsorshipAsync("Mine Ltd");
        var theirs = await portal.Given().SponsorshipAsync("Theirs Ltd");
        var theirPledge = await theirs.CardAsync(1_000);

        var response = await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(theirPledge.Id, mine.OrganisationId, 1_000, "usd"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.NewDbContext();
        Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == theirPledge.Id));
    }
}
