using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Payments;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Payments;

/// <summary>A sponsor organisation, a reviewer, a task fund and accepted card pledges, made straight through the domain; one set per test.</summary>
internal sealed class CardArrange(StripePortalFactory portal)
{
    public TestUser Sponsor { get; private set; } = default!;

    public TestUser Reviewer { get; private set; } = default!;

    public int OrganisationId { get; private set; }

    public string BillingEmail { get; private set; } = "";

    public int FundId { get; private set; }

    public int TaskId { get; private set; }

    public static Uri PortalBase => new("http://localhost/");

    public static async Task<CardArrange> CreateAsync(StripePortalFactory portal, string organisation = "Card Sponsor Ltd")
    {
        var arrange = new CardArrange(portal)
        {
            Sponsor = await portal.CreateUserAsync(name: "Carla Card"),
            Reviewer = await portal.CreateUserAsync(Roles.Reviewer, "Rita Reviewer"),
            BillingEmail = $"billing-{Guid.NewGuid():N}@example.com",
        };
        await using var db = portal.NewDbContext();
        var now = DateTime.UtcNow;
        var org = Organisation.Create(new OrganisationProfile(organisation, $"org-{Guid.NewGuid():N}"[..24], null, null, arrange.BillingEmail,
            PublicListing.ByName), arrange.Sponsor.Id, now);
        db.Organisations.Add(org);
        var task = DevopsTask.Propose($"Mac CI {Guid.NewGuid():N}"[..20], $"task-{Guid.NewGuid():N}"[..24], "Keep macOS builds green.",
            new Money(1_000_000, "USD"), Hours.FromHours(10), arrange.Reviewer.Id, now);
        task.MoveTo(DevopsTaskStatus.Open, arrange.Reviewer.Id, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        arrange.OrganisationId = org.Id;
        arrange.TaskId = task.Id;
        arrange.FundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();
        return arrange;
    }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public Task<Pledge> OneOffAsync(long minor = 12_345, string currency = "USD", PaymentTiming timing = PaymentTiming.Now, PaymentMethod method = PaymentMethod.Card) =>
        SaveAsync(Pledge.SubmitMoney(OrganisationId, FundId, new Money(minor, currency), PledgeSchedule.OneOff(Today), method, timing, Sponsor.Id, DateTime.UtcNow));

    public Task<Pledge> RecurringAsync(PledgeFrequency frequency = PledgeFrequency.Monthly, long minor = 5_000, string currency = "USD") =>
        SaveAsync(Pledge.SubmitMoney(OrganisationId, FundId, new Money(minor, currency), new PledgeSchedule(frequency, Today, null, 12),
            PaymentMethod.Card, PaymentTiming.Now, Sponsor.Id, DateTime.UtcNow));

    private async Task<Pledge> SaveAsync(Pledge pledge)
    {
        await using var db = portal.NewDbContext();
        Assert.True(pledge.Accept(Reviewer.Id, "Thank you", DateTime.UtcNow).Succeeded);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        return pledge;
    }

    public Task<Result<string>> StartCheckoutAsync(int pledgeId, string? userId = null, int? organisationId = null) =>
        portal.WithScopeAsync<StartCheckout, Result<string>>(h => h.StartAsync(organisationId ?? OrganisationId, pledgeId, userId ?? Sponsor.Id, PortalBase));

    /// <summary>Posts a signed event to the webhook, as Stripe would.</summary>
    public static Task<HttpResponseMessage> PostAsync(StripePortalFactory portal, string type, JsonObject data, string? eventId = null) =>
        PostRawAsync(portal, FakeStripe.SignedEvent(type, data, eventId));

    public static async Task<HttpResponseMessage> PostRawAsync(StripePortalFactory portal, (string Json, string? Header) signed)
    {
        using var client = portal.CreateClient();
        using var content = new StringContent(signed.Json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signed.Header is not null)
        {
            content.Headers.TryAddWithoutValidation("Stripe-Signature", signed.Header);
        }
        return await client.PostAsync("/api/stripe/webhook", content);
    }
}
