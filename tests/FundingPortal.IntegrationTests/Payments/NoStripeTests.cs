using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Payments;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Payments;

/// <summary>The shared portal has no Stripe keys: card payment is off, and everything else works.</summary>
[Collection(PortalTests.Name)]
public class NoStripeTests(PortalFactory portal)
{
    [Fact]
    public async Task Without_keys_checkout_is_refused_in_words_the_pledge_page_says_so_and_the_webhook_refuses_everything()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(1_000, "USD", PledgeSchedule.OneOff(Given.Today));
        await using (var db = portal.NewDbContext())
        {
            // A card pledge made while keys were configured, read after they were removed.
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"Pledges\" SET \"PaymentMethod\" = {PaymentMethod.Card.ToString()} WHERE \"Id\" = {pledge.Id}");
        }

        var result = await portal.WithScopeAsync<StartCheckout, Result<string>>(h => h.StartAsync(arrange.OrganisationId, pledge.Id, arrange.Sponsor.Id, new Uri("http://localhost/")));
        using var client = await SignIn.AsAsync(portal, arrange.Sponsor);
        var page = await client.GetStringAsync($"/organisations/{arrange.OrganisationId}/pledges/{pledge.Id}");
        using var webhook = await portal.CreateClient().PostAsync("/api/stripe/webhook", new StringContent("{}"));

        Assert.Equal(ProblemKind.Conflict, result.Problem!.Kind);
        Assert.Contains("invoice or bank transfer", result.Problem.Message, StringComparison.Ordinal);
        Assert.Contains("Card payment is not available", page, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, webhook.StatusCode);
    }
}
