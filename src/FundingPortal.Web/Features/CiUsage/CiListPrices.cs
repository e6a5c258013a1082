namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// The public list prices every installation starts with (see docs/user-guide.md for the sources): GitHub Actions per-minute prices
/// with the 2026-01-01 cut, GitLab's compute-minute cost factors, CircleCI's credit price. Added once per provider kind at start-up;
/// admins change them afterwards, and a provider that exists already is left alone.
/// </summary>
public static class CiListPrices
{
    public static readonly DateOnly ListPricesFrom = new(2023, 1, 1);
    public static readonly DateOnly GitHubPriceCut = new(2026, 1, 1);

    /// <summary>GitLab sells additional compute minutes at $10 per 1,000; a runner's cost factor multiplies the minutes it burns.</summary>
    public const decimal GitLabComputeMinute = 0.01m;

    /// <summary>CircleCI: $15 buys 25,000 credits.</summary>
    public const decimal CircleCiCreditPrice = 0.0006m;

    public static async Task<int> EnsureAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        var kinds = await db.CiProviders.Select(p => p.Kind).Distinct().ToListAsync(cancellationToken);
        var names = await db.CiProviders.Select(p => p.Name).ToListAsync(cancellationToken);
        var added = 0;
        foreach (var provider in Providers())
        {
            if (kinds.Contains(provider.Kind) || names.Contains(provider.Name))
            {
                continue;
            }
            db.CiProviders.Add(provider);
            added++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    public static IEnumerable<CiProvider> Providers()
    {
        var github = CiProvider.New("GitHub Actions", CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, 2_000, "USD").Value!;
        foreach (var (runner, os, before, after, multiplier) in new[]
        {
            ("ubuntu-latest", RunnerOs.Linux, 0.008m, 0.006m, 1m),
            ("windows-latest", RunnerOs.Windows, 0.016m, 0.010m, 2m),
            ("macos-latest", RunnerOs.MacOs, 0.08m, 0.062m, 10m),
        })
        {
            github.AddPrice(runner, os, before, multiplier, ListPricesFrom);
            github.AddPrice(runner, os, after, multiplier, GitHubPriceCut);
        }
        yield return github;

        var gitlab = CiProvider.New("GitLab CI", CiProviderKind.GitLabCi, CiRounding.PerTotal, 400, "USD").Value!;
        foreach (var (runner, os, factor) in new[]
        {
            ("saas-linux-small-amd64", RunnerOs.Linux, 1m),
            ("saas-linux-medium-amd64", RunnerOs.Linux, 2m),
            ("saas-linux-large-amd64", RunnerOs.Linux, 3m),
            ("saas-linux-xlarge-amd64", RunnerOs.Linux, 6m),
            ("saas-linux-2xlarge-amd64", RunnerOs.Linux, 12m),
            ("saas-linux-medium-amd64-gpu-standard", RunnerOs.Linux, 7m),
            ("saas-macos-medium-m1", RunnerOs.MacOs, 6m),
            ("saas-windows-medium-amd64", RunnerOs.Windows, 1m),
        })
        {
            gitlab.AddPrice(runner, os, GitLabComputeMinute * factor, factor, ListPricesFrom);
        }
        yield return gitlab;

        var circle = CiProvider.New("CircleCI", CiProviderKind.CircleCi, CiRounding.PerTotal, 0, "USD").Value!;
        foreach (var (resourceClass, os, creditsPerMinute) in new[]
        {
            ("small", RunnerOs.Linux, 5),
            ("medium", RunnerOs.Linux, 10),
            ("large", RunnerOs.Linux, 20),
            ("xlarge", RunnerOs.Linux, 40),
            ("windows.medium", RunnerOs.Windows, 40),
            ("macos.m1.medium.gen1", RunnerOs.MacOs, 150),
        })
        {
            circle.AddCreditPrice(resourceClass, os, creditsPerMinute, CircleCiCreditPrice, ListPricesFrom);
        }
        yield return circle;
    }
}
