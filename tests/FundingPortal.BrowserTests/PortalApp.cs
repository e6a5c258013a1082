using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

using FundingPortal.Core.Data;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace FundingPortal.BrowserTests;

/// <summary>
/// The portal as a real process on a loopback port (Testing environment, fresh SQLite database and mail folder) and one
/// headless Chromium, shared by every browser test of a run. Each test opens its own browser context, so cookies never leak.
/// </summary>
public class PortalApp : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly StringBuilder output = new();
    private Process? process;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>The portal's data folder for this run: <c>fundingportal.db</c> and <c>mail/</c>.</summary>
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"fp-browser-{Guid.NewGuid():N}");

    public Mailbox Mailbox => new(Path.Combine(DataFolder, "mail"));

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not been started.");

    /// <summary>Where screenshots go (<c>FP_SCREENSHOTS</c>), or null when they are not wanted.</summary>
    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable("FP_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

    public virtual async Task InitializeAsync()
    {
        // Checked first: a missing browser must fail the run with a useful message, never skip it.
        var chromium = Environment.GetEnvironmentVariable("FP_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at '{chromium}'. Install it with 'apt-get install -y chromium' or point FP_CHROMIUM at a Chromium executable. " +
                "(Do not run 'playwright install'.)");
        }

        await StartPortalAsync();

        // Pages on a 2-core machine with a Blazor circuit to connect can take more than Playwright's default 5 s to settle.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
    }

    public virtual async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
        await StopPortalAsync();
        // The portal's own log of the run, for when a test fails because of something only the server saw.
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "portal.log"), Output);
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is not worth failing the run for.
        }
    }

    /// <summary>Stops the portal if <see cref="DisposeAsync"/> did not get to (xunit calls both).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
        }
        process?.Dispose();
        process = null;
    }

    /// <summary>A fresh browser context (own cookies) and a page in it; desktop size unless a viewport is given.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl.AbsoluteUri,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        return await context.NewPageAsync();
    }

    /// <summary>A full-page screenshot named <paramref name="name"/>.png, only when <c>FP_SCREENSHOTS</c> names a folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (ScreenshotFolder is not { } folder)
        {
            return;
        }
        Directory.CreateDirectory(folder);
        // Blazor focuses the heading after navigation; its focus ring is noise in a picture for the user guide.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    /// <summary>What the portal process printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// The portal's own database, for arranging what a journey starts from (roles, tasks, dates in the past) and for checking what
    /// a journey left behind. Journeys themselves go through the browser.
    /// </summary>
    public AppDbContext NewDbContext() =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={Path.Combine(DataFolder, "fundingportal.db")}").Options);

    /// <summary>Gives an existing account a role; it takes effect at the account's next sign-in.</summary>
    public async Task GrantRoleAsync(string email, string role)
    {
        await using var db = NewDbContext();
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleAsync(u => u.NormalizedEmail == normalized);
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync();
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
        await db.SaveChangesAsync();
    }

    /// <summary>Runs a command-line verb of the portal (create-admin, …) against the same database, and waits for it.</summary>
    public async Task<(int ExitCode, string Output)> RunVerbAsync(params string[] args)
    {
        var start = PortalStartInfo(args);
        using var verb = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{start.FileName}'.");
        var stdout = verb.StandardOutput.ReadToEndAsync();
        var stderr = verb.StandardError.ReadToEndAsync();
        await verb.WaitForExitAsync();
        return (verb.ExitCode, await stdout + await stderr);
    }

    /// <summary>The portal's build output run with the test run's settings; whatever the machine has set must not point it elsewhere.</summary>
    private ProcessStartInfo PortalStartInfo(params string[] args)
    {
        var assembly = WebAppAssembly();
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var inherited in new[] { "ConnectionStrings__Default", "Email__Smtp__Host", "Email__PickupFolder", "ASPNETCORE_URLS", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Portal__DataFolder"] = DataFolder;
        start.Environment["Portal__SignInAttemptsPerMinute"] = "1000";
        start.Environment["Database__Provider"] = "Sqlite";
        Configure(start.Environment);
        return start;
    }

    /// <summary>Settings a derived fixture adds to the portal process (environment variables, <c>__</c> for <c>:</c>).</summary>
    protected virtual void Configure(IDictionary<string, string?> environment)
    {
    }

    private async Task StartPortalAsync()
    {
        var port = FreeLoopbackPort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        Directory.CreateDirectory(DataFolder);
        var start = PortalStartInfo("--urls", BaseUrl.GetLeftPart(UriPartial.Authority));

        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{start.FileName}'.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode} before it answered /healthz.\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        await StopPortalAsync();
        throw new TimeoutException($"The portal did not answer GET /healthz with 200 within {StartTimeout.TotalSeconds:0} s.\n{Output}");
    }

    private async Task StopPortalAsync()
    {
        if (process is null)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);
        }
        process.Dispose();
        process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>The web project's build output, as recorded by MSBuild when this project was built.</summary>
    private static string WebAppAssembly()
    {
        var recorded = typeof(PortalApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "FundingPortal.Web")?.Value;
        if (string.IsNullOrEmpty(recorded) || !File.Exists(recorded))
        {
            throw new InvalidOperationException(
                $"The portal's build output was not found ('{recorded}'). Build the solution first: dotnet build FundingPortal.sln");
        }
        return recorded;
    }

    /// <summary>The <c>dotnet</c> running these tests, so the portal runs on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

[CollectionDefinition(Name)]
/// <summary>The xunit collection of browser tests: one portal process and one browser for all of them.</summary>
public sealed class SharedPortal : ICollectionFixture<PortalApp>
{
    public const string Name = "Portal";
}
