using System.Diagnostics;
using System.Net.Security;
using System.Text;

using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// Once the server listens, requests the public pages a visitor opens first through the portal itself (its own address, the whole
/// pipeline), so the JIT, the EF queries, the connection pool, Blazor's first render and the output cache are warm before anyone
/// else arrives; <c>/healthz</c> answers 503 "Warming up" until then, so a load balancer sends no one to a cold instance. A page
/// that fails or times out is logged and skipped: the portal then reports ready anyway rather than never.
/// </summary>
public sealed class Warmup(IServer server, IHostApplicationLifetime lifetime, ILogger<Warmup> logger) : BackgroundService
{
    /// <summary>Sent with every warm-up request, so logs (and tests) can tell them from visitors.</summary>
    public const string UserAgent = "FundingPortal-warm-up";

    /// <summary>What a visitor opens first: the public page, its JSON and the badge sites embed. Each is asked twice: render, then cache hit.</summary>
    public static readonly IReadOnlyList<string> Paths = ["/", "/api/public/summary", "/badges/runway.svg"];

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDone => _done.Task.IsCompleted;

    /// <summary>Completes when the warm-up has finished (or was skipped).</summary>
    public Task Done => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var baseAddress = await WaitUntilStartedAsync(stoppingToken);
            if (baseAddress is null)
            {
                return;
            }
            var watch = Stopwatch.StartNew();
            using var handler = new SocketsHttpHandler
            {
                // Its own certificate on its own loopback address: a development or internal certificate must not stop the warm-up.
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || baseAddress.IsLoopback },
                AllowAutoRedirect = false,
                UseCookies = false,
            };
            using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = RequestTimeout };
            http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            foreach (var path in Paths)
            {
                if (await WarmAsync(http, path, stoppingToken))
                {
                    await WarmAsync(http, path, stoppingToken);
                }
            }
            logger.LogInformation("Warmed up {Paths} in {Milliseconds:0} ms.", string.Join(", ", Paths), watch.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before the warm-up finished.
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    /// <summary>The address to warm through, once the server listens; null when there is none to call.</summary>
    private async Task<Uri?> WaitUntilStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource<Uri?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() =>
        {
            var address = BaseAddress();
            if (address is null)
            {
                // The in-memory test server has no address to call, and nothing is measured there: ready at once, before the host's
                // start returns, so no request ever sees it warming up.
                _done.TrySetResult();
            }
            started.TrySetResult(address);
        });
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        return await started.Task;
    }

    private async Task<bool> WarmAsync(HttpClient http, string path, CancellationToken stoppingToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead, stoppingToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Warm-up: {Path} answered {Status}; serving without warming it.", path, (int)response.StatusCode);
                return false;
            }
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Warm-up: {Path} failed ({Reason}); serving without warming it.", path, e.Message);
            return false;
        }
    }

    /// <summary>An address the server listens on, as this machine can call it (a wildcard host becomes localhost); http first.</summary>
    private Uri? BaseAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)).FirstOrDefault();
        if (chosen is null)
        {
            return null;
        }
        foreach (var wildcard in new[] { "://0.0.0.0:", "://[::]:", "://+:", "://*:" })
        {
            chosen = chosen.Replace(wildcard, "://localhost:", StringComparison.Ordinal);
        }
        return Uri.TryCreate(chosen, UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary><c>/healthz</c>: 200 "Healthy" once warm and the database answers; 503 with the reason in words before.</summary>
    public static HealthCheckOptions HealthOptions { get; } = new()
    {
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            var text = new StringBuilder(report.Status.ToString());
            foreach (var (_, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
            {
                text.Append(": ").Append(entry.Description ?? entry.Exception?.Message ?? entry.Status.ToString());
            }
            return context.Response.WriteAsync(text.ToString());
        },
    };
}

/// <summary>Unhealthy ("Warming up") until <see cref="Warmup"/> has finished.</summary>
public sealed class WarmupHealthCheck(Warmup warmup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(warmup.IsDone ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Warming up"));
}

public static class WarmupModule
{
    public static IHostApplicationBuilder AddWarmup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Warmup>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Warmup>());
        builder.Services.AddHealthChecks().AddCheck<WarmupHealthCheck>("warm-up");
        return builder;
    }
}
