using System.Collections.Concurrent;
using System.Net;

using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests;

/// <summary>
/// The portal on a real port whose warm-up requests wait at a gate the test opens, so what a load balancer sees while the portal
/// warms up can be looked at without racing it.
/// </summary>
public sealed class GatedWarmupPortal : KestrelPortal
{
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The paths of the warm-up's requests as they arrived, cache hits included.</summary>
    public ConcurrentQueue<string> Warmed { get; } = new();

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new HoldWarmup(this)));

    private sealed class HoldWarmup(GatedWarmupPortal portal) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate rest) =>
            {
                if (context.Request.Headers.UserAgent.ToString().Contains(Warmup.UserAgent, StringComparison.Ordinal))
                {
                    portal.Warmed.Enqueue(context.Request.Path.Value ?? "");
                    await portal.Gate.Task;
                }
                await rest(context);
            });
            next(app);
        };
    }
}

public sealed class WarmupTests(GatedWarmupPortal portal) : IClassFixture<GatedWarmupPortal>
{
    [Fact]
    public async Task Healthz_says_warming_up_until_the_public_pages_were_requested_and_the_first_visitor_gets_a_cached_page()
    {
        using var client = new HttpClient { BaseAddress = portal.BaseUrl };

        // The server listens and the warm-up has begun (its first request waits at the gate): not ready, in words.
        var waited = await WaitAsync(() => Task.FromResult(!portal.Warmed.IsEmpty));
        Assert.True(waited, "The warm-up sent no request after the server started.");
        var warming = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, warming.StatusCode);
        Assert.Equal("Unhealthy: Warming up", await warming.Content.ReadAsStringAsync());
        Assert.Equal("no-store", warming.Headers.CacheControl?.ToString());

        portal.Gate.SetResult();
        Assert.True(await WaitAsync(async () => (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK), "/healthz never answered 200.");
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));

        // Every public page was asked for twice (rendered, then served from the cache), in order.
        Assert.Equal(Warmup.Paths.SelectMany(p => new[] { p, p }), portal.Warmed);
        // So the first visitor's page comes from the output cache, which says how long it has held it.
        var first = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(first.Headers.Age);
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }
}
