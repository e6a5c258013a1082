using FundingPortal.IntegrationTests.Infrastructure;

namespace FundingPortal.BrowserTests;

/// <summary>
/// A second portal process with Stripe keys, its API pointed at a <see cref="FakeStripe"/> whose Checkout page the browser pays
/// on; the fake then posts the signed webhook to this portal and sends the browser to the success URL.
/// </summary>
public sealed class StripePortalApp : PortalApp
{
    public FakeStripe Stripe { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        await base.InitializeAsync();
        Stripe.WebhookUrl = new Uri(BaseUrl, "api/stripe/webhook");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    protected override void Configure(IDictionary<string, string?> environment)
    {
        environment["Stripe__SecretKey"] = FakeStripe.SecretKey;
        environment["Stripe__PublishableKey"] = "pk_test_fake";
        environment["Stripe__WebhookSecret"] = FakeStripe.WebhookSecret;
        environment["Stripe__ApiBase"] = Stripe.BaseUrl.AbsoluteUri;
        environment["Stripe__ReconcileIntervalMinutes"] = "0";
    }
}

[CollectionDefinition(Name)]
/// <summary>Browser tests that pay by card: their own portal process, with the fake Stripe.</summary>
public sealed class StripePortal : ICollectionFixture<StripePortalApp>
{
    public const string Name = "Stripe portal";
}
