using System.Text.RegularExpressions;

namespace FundingPortal.UnitTests;

/// <summary>The shape docs/architecture.md promises, checked on the source so it cannot drift.</summary>
public partial class ArchitectureTests
{
    private static readonly string Root = FindRoot();

    private static readonly string Features = Path.Combine(Root, "src", "FundingPortal.Web", "Features");

    [Fact]
    public void No_feature_folder_uses_another_that_uses_it_back()
    {
        var uses = Directory.GetDirectories(Features).ToDictionary(folder => Path.GetFileName(folder), folder =>
            SourceFiles(folder).SelectMany(f => FeatureReference().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
                .Where(used => used != Path.GetFileName(folder)).ToHashSet());

        var cycle = uses.Keys.Select(start => FindCycle(start, uses)).FirstOrDefault(c => c is not null);

        Assert.True(cycle is null, $"Feature folders use each other in a circle: {string.Join(" → ", cycle ?? [])}. Move the shared piece to its owner.");
    }

    [Fact]
    public void No_hand_written_source_file_is_over_400_lines()
    {
        var longFiles = SourceFiles(Path.Combine(Root, "src"))
            .Select(f => (File: Path.GetRelativePath(Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 400).ToList();

        Assert.True(longFiles.Count == 0, "Split these along a seam: " + string.Join(", ", longFiles.Select(f => $"{f.File} ({f.Lines})")));
    }

    [Fact]
    public void Program_stays_a_table_of_contents()
    {
        var lines = File.ReadLines(Path.Combine(Root, "src", "FundingPortal.Web", "Program.cs")).Count();

        Assert.True(lines < 80, $"Program.cs has {lines} lines; register and map in the capability's module instead.");
    }

    private static List<string>? FindCycle(string start, Dictionary<string, HashSet<string>> uses)
    {
        var path = new List<string> { start };
        return Walk(start);

        List<string>? Walk(string folder)
        {
            foreach (var next in uses.GetValueOrDefault(folder) ?? [])
            {
                if (next == start)
                {
                    return [.. path, start];
                }
                if (!path.Contains(next) && uses.ContainsKey(next))
                {
                    path.Add(next);
                    if (Walk(next) is { } found)
                    {
                        return found;
                    }
                    path.RemoveAt(path.Count - 1);
                }
            }
            return null;
        }
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "FundingPortal.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("The tests run outside the repository: FundingPortal.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"FundingPortal\.Web\.Features\.(\w+)")]
    private static partial Regex FeatureReference();
}
