using System.Globalization;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Payments;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Payments;

[Collection(StripePortalTests.Name)]
public class CheckoutTests(StripePortalFactory portal)
{
    private StripeRequest SessionRequest(int pledgeId) =>
        portal.Stripe.RequestsTo("POST", "/v1/checkout/sessions").Last(r => r.Form.GetValueOrDefault("client_reference_id") == Key(pledgeId));

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_one_off_checkout_carries_mode_amount_currency_reference_metadata_success_url_idempotency_key_and_version()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(12_345, "USD");

        var result = await portal.StartCheckoutAsync(arrange, pledge.Id);

        Assert.True(result.Succeeded, result.Problem?.Message);
        Assert.StartsWith(portal.Stripe.BaseUrl.AbsoluteUri + "checkout/", result.Value);
        var request = SessionRequest(pledge.Id);
        Assert.Equal("payment", request.Form["mode"]);
        Assert.Equal("12345", request.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("usd", request.Form["line_items[0][price_data][currency]"]);
        Assert.Equal(Key(pledge.Id), request.Form["metadata[pledge_id]"]);
        Assert.Equal(Key(arrange.OrganisationId), request.Form["metadata[organisation_id]"]);
        Assert.Equal(Key(pledge.Id), request.Form["payment_intent_data[metadata][pledge_id]"]);
        Assert.Equal(Key(arrange.OrganisationId), request.Form["payment_intent_data[metadata][organisation_id]"]);
        Assert.Contains("{CHECKOUT_SESSION_ID}", request.Form["success_url"], StringComparison.Ordinal);
        Assert.Equal($"pledge:{pledge.Id}:checkout:1", request.IdempotencyKey);
        Assert.Equal(FakeStripe.ApiVersion, request.StripeVersion);
        Assert.Equal($"Bearer {FakeStripe.SecretKey}", request.Authorization);

        // The organisation's customer was created (with its own key) and is reused.
        await using var db = portal.NewDbContext();
        var customer = (await db.Organisations.SingleAsync(o => o.Id == arrange.OrganisationId)).StripeCustomerId;
        Assert.NotNull(customer);
        Assert.Equal(customer, request.Form["customer"]);
        Assert.Single(portal.Stripe.RequestsTo("POST", "/v1/customers"), r => r.IdempotencyKey == $"organisation:{arrange.OrganisationId}:customer");
        var second = await arrange.CardAsync(500, "USD");
        Assert.True((await portal.StartCheckoutAsync(arrange, second.Id)).Succeeded);
        Assert.Equal(customer, SessionRequest(second.Id).Form["customer"]);
        Assert.Single(portal.Stripe.RequestsTo("POST", "/v1/customers"), r => r.IdempotencyKey == $"organisation:{arrange.OrganisationId}:customer");
    }

    [Fact]
    public async Task Yen_have_no_minor_unit_and_a_quarterly_pledge_is_a_subscription_every_three_months_with_its_metadata()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var yen = await arrange.CardAsync(500, "JPY");
        var quarterly = await arrange.CardAsync(25_000, "EUR", Given.Every(PledgeFrequency.Quarterly, Given.Today, 12));

        Assert.True((await portal.StartCheckoutAsync(arrange, yen.Id)).Succeeded);
        Assert.True((await portal.StartCheckoutAsync(arrange, quarterly.Id)).Succeeded);

        var yenRequest = SessionRequest(yen.Id);
        Assert.Equal(("500", "jpy"), (yenRequest.Form["line_items[0][price_data][unit_amount]"], yenRequest.Form["line_items[0][price_data][currency]"]));
        var sub = SessionRequest(quarterly.Id);
        Assert.Equal("subscription", sub.Form["mode"]);
        Assert.Equal(("25000", "eur"), (sub.Form["line_items[0][price_data][unit_amount]"], sub.Form["line_items[0][price_data][currency]"]));
        Assert.Equal(("month", "3"), (sub.Form["line_items[0][price_data][recurring][interval]"], sub.Form["line_items[0][price_data][recurring][interval_count]"]));
        Assert.Equal(Key(quarterly.Id), sub.Form["subscription_data[metadata][pledge_id]"]);
        Assert.Equal(Key(arrange.OrganisationId), sub.Form["subscription_data[metadata][organisation_id]"]);
        Assert.False(sub.Form.ContainsKey("payment_intent_data[metadata][pledge_id]"));
    }

    [Fact]
    public async Task A_double_submit_sends_the_same_idempotency_key_and_gets_the_same_session()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync();

        var first = await portal.StartCheckoutAsync(arrange, pledge.Id);
        var second = await portal.StartCheckoutAsync(arrange, pledge.Id);

        Assert.Equal(first.Value, second.Value);
        var keys = portal.Stripe.RequestsTo("POST", "/v1/checkout/sessions")
            .Where(r => r.Form.GetValueOrDefault("client_reference_id") == Key(pledge.Id)).Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Single(keys.Distinct());
    }

    [Fact]
    public async Task Stripe_failing_shows_an_error_and_books_nothing()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync();
        portal.Stripe.FailWith = 500;
        Result<string> result;
        try
        {
            result = await portal.StartCheckoutAsync(arrange, pledge.Id);
        }
        finally
        {
            portal.Stripe.FailWith = null;
        }

        Assert.False(result.Succeeded);
        Assert.Contains("nothing was charged", result.Problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeStripe.SecretKey, result.Problem.Message, StringComparison.Ordinal);
        await using var db = portal.NewDbContext();
        Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == pledge.Id));
        Assert.Null((await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).LastCheckoutSessionId);
    }

    [Fact]
    public async Task Another_organisations_pledge_id_or_a_non_member_gets_not_found_and_stripe_hears_nothing()
    {
        var mine = await portal.Given().SponsorshipAsync("Mine Ltd");
        var theirs = await portal.Given().SponsorshipAsync("Theirs Ltd");
        var theirPledge = await theirs.CardAsync();

        var viaMyOrganisation = await portal.StartCheckoutAsync(mine, theirPledge.Id);
        var viaTheirOrganisation = await portal.StartCheckoutAsync(mine, theirPledge.Id, organisationId: theirs.OrganisationId);

        Assert.Equal(ProblemKind.NotFound, viaMyOrganisation.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, viaTheirOrganisation.Problem!.Kind);
        Assert.DoesNotContain(portal.Stripe.Requests, r => r.Form.GetValueOrDefault("client_reference_id") == Key(theirPledge.Id));
    }

    [Fact]
    public async Task An_invoice_pledge_is_not_paid_by_card()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(12_345);

        var result = await portal.StartCheckoutAsync(arrange, pledge.Id);

        Assert.Equal(ProblemKind.Conflict, result.Problem!.Kind);
    }

    [Fact]
    public async Task The_success_page_reads_processing_then_received_and_a_forged_session_id_books_nothing()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(2_000);
        var url = (await portal.StartCheckoutAsync(arrange, pledge.Id)).Value!;
        var sessionId = url[(url.LastIndexOf('/') + 1)..];
        using var client = await SignIn.AsAsync(portal, arrange.Sponsor);

        var processing = await client.GetStringAsync($"/payments/success?session_id={sessionId}");
        var forged = await client.GetStringAsync("/payments/success?session_id=cs_test_forged");
        Assert.Contains("Processing", processing, StringComparison.Ordinal);
        Assert.Contains("Payment not found", forged, StringComparison.Ordinal);

        var paid = await portal.PostWebhookAsync("checkout.session.completed", FakeStripe.PaidSession(pledge.Id, arrange.OrganisationId, 2_000, "usd", sessionId));
        Assert.Equal(System.Net.HttpStatusCode.OK, paid.StatusCode);
        var received = await client.GetStringAsync($"/payments/success?session_id={sessionId}");
        Assert.Contains("Payment received", received, StringComparison.Ordinal);

        // Someone else, with the real session id, learns nothing.
        var stranger = await portal.CreateUserAsync(name: "Stan Stranger");
        using var strangerClient = await SignIn.AsAsync(portal, stranger);
        Assert.Contains("Payment not found", await strangerClient.GetStringAsync($"/payments/success?session_id={sessionId}"), StringComparison.Ordinal);
        await using var db = portal.NewDbContext();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.PledgeId == pledge.Id));
    }

    [Fact]
    public async Task A_task_moving_to_done_asks_pay_on_completion_pledges_for_their_money_by_email()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var onCompletion = await arrange.CardAsync(7_500, timing: PaymentTiming.OnCompletion);
        var now = await arrange.CardAsync(1_000);
        var save = (Func<DevopsTaskStatus, Task<Result<DevopsTaskStatus>>>)(to =>
            portal.WithScopeAsync<Web.Features.Tasks.SaveTask, Result<DevopsTaskStatus>>(s => s.MoveAsync(arrange.TaskId, to, arrange.Reviewer.Id, StripePortalFactory.PortalBase)));
        Assert.True((await save(DevopsTaskStatus.InProgress)).Succeeded);

        Assert.True((await save(DevopsTaskStatus.Done)).Succeeded);

        await using var db = portal.NewDbContext();
        Assert.NotNull((await db.Pledges.SingleAsync(p => p.Id == onCompletion.Id)).PaymentRequestedAt);
        Assert.Null((await db.Pledges.SingleAsync(p => p.Id == now.Id)).PaymentRequestedAt);
        var email = Assert.Single(portal.EmailsTo(arrange.BillingEmail), e => e.Subject.StartsWith("Task done", StringComparison.Ordinal));
        Assert.Contains($"organisations/{arrange.OrganisationId}/pledges/{onCompletion.Id}", email.Html, StringComparison.Ordinal);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "pledge.payment-requested" && a.EntityId == Key(onCompletion.Id)));

        // Until paid, it is on the follow-up list; paying by card is now open to the sponsor.
        var overdue = await portal.WithScopeAsync<Web.Features.FollowUp.OverdueInstallments, Result<Web.Features.FollowUp.OverduePage>>(
            o => o.ListAsync(arrange.Reviewer.Id, includeSnoozed: false, page: 1));
        Assert.Contains(overdue.Value!.Rows, r => r.PledgeId == onCompletion.Id);
        var checkout = await portal.StartCheckoutAsync(arrange, onCompletion.Id);
        Assert.True(checkout.Succeeded, checkout.Problem?.Message);
    }

    [Fact]
    public async Task A_pay_on_completion_pledge_cannot_be_paid_before_its_task_is_done()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.CardAsync(7_500, timing: PaymentTiming.OnCompletion);

        var result = await portal.StartCheckoutAsync(arrange, pledge.Id);

        Assert.Equal(ProblemKind.Conflict, result.Problem!.Kind);
    }
}
