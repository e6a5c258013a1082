namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// How much one demo run generates. There is one generator; the small size is for a person clicking around after
/// <c>dotnet run</c>, the large one feeds the benchmarks.
/// </summary>
/// <param name="Organisations">Sponsors; the first twelve have hand-written names, the rest are composed.</param>
/// <param name="ExtraMembers">Members besides each organisation's owner.</param>
/// <param name="Pledges">All pledges, including the hand-written ones that tell the demo's stories.</param>
/// <param name="CiPipelineFactor">Multiplies the daily merge-request pipelines; nightly pipelines run once a day at any size.</param>
/// <param name="PledgesPerSave">Pledges saved together with their installments, payments and time entries.</param>
/// <param name="RowsPerSave">CI job records saved at once before the change tracker is cleared.</param>
internal sealed record DemoSize(int Organisations, int ExtraMembers, int Pledges, int CiPipelineFactor, int PledgesPerSave, int RowsPerSave)
{
    public static DemoSize For(DemoScale scale) => scale switch
    {
        DemoScale.Small => new(Organisations: 12, ExtraMembers: 5, Pledges: 72, CiPipelineFactor: 1, PledgesPerSave: 100, RowsPerSave: 2_000),
        DemoScale.Large => new(Organisations: 500, ExtraMembers: 200, Pledges: 85_000, CiPipelineFactor: 250, PledgesPerSave: 400, RowsPerSave: 5_000),
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "Unknown demo scale."),
    };
}
