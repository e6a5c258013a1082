namespace FundingPortal.Web.Features.CiCosts;

/// <summary>
/// The one palette of the CI charts (the public page and the reviewers' CI cost report): a provider's colour is fixed by its kind,
/// so GitHub Actions is the same blue on every chart whatever else is shown beside it. Two providers of one kind (two self-hosted
/// pools, say) take one of the kind's shades, picked by a stable hash of the name, so each keeps its colour from chart to chart.
/// </summary>
public static class CiProviderColours
{
    private static readonly Dictionary<CiProviderKind, string[]> Shades = new()
    {
        [CiProviderKind.GitHubActions] = ["#1565c0", "#0d47a1", "#42a5f5"],
        [CiProviderKind.GitLabCi] = ["#e65100", "#bf360c", "#fb8c00"],
        [CiProviderKind.CircleCi] = ["#2e7d32", "#1b5e20", "#66bb6a"],
        [CiProviderKind.AppVeyor] = ["#00838f", "#006064", "#26c6da"],
        [CiProviderKind.Buildkite] = ["#6a1b9a", "#4a148c", "#ab47bc"],
        [CiProviderKind.AzurePipelines] = ["#ad1457", "#880e4f", "#ec407a"],
        [CiProviderKind.SelfHosted] = ["#5d4037", "#3e2723", "#8d6e63"],
        [CiProviderKind.Other] = ["#546e7a", "#37474f", "#90a4ae"],
    };

    /// <summary>The provider's colour as a CSS hex colour.</summary>
    public static string For(CiProviderKind kind, string name)
    {
        var shades = Shades.GetValueOrDefault(kind) ?? Shades[CiProviderKind.Other];
        return shades[StableHash(name) % shades.Length];
    }

    // string.GetHashCode changes from process to process; this one (FNV-1a) is the same on every run and every page.
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % int.MaxValue);
    }
}
