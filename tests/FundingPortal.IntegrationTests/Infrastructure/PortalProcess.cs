using System.Diagnostics;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>Runs the built web project as a separate process, the way a person runs a command-line verb.</summary>
public static class PortalProcess
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    public static async Task<Outcome> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = WebOutputFolder() };
        start.ArgumentList.Add(Path.Combine(WebOutputFolder(), "FundingPortal.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Outcome(process.ExitCode, await output, await error);
    }

    /// <summary>The web project's build output beside this test assembly's (same configuration).</summary>
    private static string WebOutputFolder()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FundingPortal.sln")))
        {
            root = root.Parent;
        }
        var folder = Path.Combine(root!.FullName, "src", "FundingPortal.Web", "bin", configuration, here.Name);
        return File.Exists(Path.Combine(folder, "FundingPortal.Web.dll")) ? folder : throw new InvalidOperationException($"Build the web project first: {folder}");
    }
}
