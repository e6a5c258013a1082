using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Payments;

using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>The portal with Stripe keys, its API pointed at a <see cref="FakeStripe"/> on loopback, and a switch to make booking fail.</summary>
public sealed class StripePortalFactory : PortalFactory
{
    public FakeStripe Stripe { get; private set; } = default!;

    public FaultInjector Faults { get; } = new();

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        await base.InitializeAsync();
    }

    /// <summary>Where the portal says it is, for the checkout's return addresses.</summary>
    public static Uri PortalBase => new("http://localhost/");

    /// <summary>Starts a card checkout for the pledge, as the sponsor (or <paramref name="userId"/>) of the organisation (or <paramref name="organisationId"/>).</summary>
    public Task<Result<string>> StartCheckoutAsync(Sponsorship sponsorship, int pledgeId, string? userId = null, int? organisationId = null) =>
        WithScopeAsync<StartCheckout, Result<string>>(h => h.StartAsync(organisationId ?? sponsorship.OrganisationId, pledgeId, userId ?? sponsorship.Sponsor.Id,
            PortalBase));

    /// <summary>Posts a signed event to the webhook, as Stripe would.</summary>
    public Task<HttpResponseMessage> PostWebhookAsync(string type, JsonObject data, string? eventId = null) =>
        PostWebhookAsync(FakeStripe.SignedEvent(type, data, eventId));

    public async Task<HttpResponseMessage> PostWebhookAsync((string Json, string? Header) stripeEvent)
    {
        using var client = CreateClient();
        using var content = new StringContent(stripeEvent.Json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (stripeEvent.Header is not null)
        {
            content.Headers.TryAddWithoutValidation("Stripe-Signature", stripeEvent.Header);
        }
        return await client.PostAsync("/api/stripe/webhook", content);
    }

    protected override Task DisposeMoreAsync() => Stripe.DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Stripe:SecretKey", FakeStripe.SecretKey);
        builder.UseSetting("Stripe:PublishableKey", "pk_test_fake");
        builder.UseSetting("Stripe:WebhookSecret", FakeStripe.WebhookSecret);
        builder.UseSetting("Stripe:ApiBase", Stripe.BaseUrl.AbsoluteUri);
        builder.UseSetting("Stripe:ReconcileIntervalMinutes", "0");
        builder.ConfigureServices(services => services.ConfigureDbContext<Core.Data.AppDbContext>(o => o.AddInterceptors(Faults)));
    }
}

/// <summary>Throws while a ledger contribution is being saved, as many times as armed: a crash in the middle of booking.</summary>
public sealed class FaultInjector : SaveChangesInterceptor
{
    private int _armed;

    public void FailNextContributions(int times) => Interlocked.Exchange(ref _armed, times);

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _armed) > 0 && eventData.Context!.ChangeTracker.Entries<LedgerEntry>()
                .Any(e => e.State == EntityState.Added && e.Entity.Kind == LedgerEntryKind.Contribution)
            && Interlocked.Decrement(ref _armed) >= 0)
        {
            throw new InvalidOperationException("Injected failure while booking.");
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}

[CollectionDefinition(Name)]
public sealed class StripePortalTests : ICollectionFixture<StripePortalFactory>
{
    public const string Name = "Stripe portal";
}
