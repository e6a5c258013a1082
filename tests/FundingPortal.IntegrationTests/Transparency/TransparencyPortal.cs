using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.AspNetCore.Hosting;

namespace FundingPortal.IntegrationTests.Transparency;

/// <summary>A portal with a database of its own, so whole-portal totals (balance, runway, concentration) are known exactly.</summary>
public sealed class TransparencyPortal : PortalFactory
{
    private Task<KnownData>? _known;

    /// <summary>The known data, put in once for all the tests that share this portal.</summary>
    public Task<KnownData> KnownAsync() => _known ??= Given().KnownDataAsync();
}

/// <summary>A portal whose public requests are limited to three a minute per client address.</summary>
public sealed class RateLimitedPortal : PortalFactory
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Portal:PublicRequestsPerMinute", "3");
}
