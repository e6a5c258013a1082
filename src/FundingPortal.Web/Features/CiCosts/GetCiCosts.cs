namespace FundingPortal.Web.Features.CiCosts;

/// <summary>Everything the CI costs page shows for one period, read in one go.</summary>
public sealed record CiCostOverview(
    CiPeriod Period,
    IReadOnlyList<CiSpendRow> Monthly,
    IReadOnlyList<CiSpendRow> Providers,
    IReadOnlyList<CiSpendRow> Projects,
    IReadOnlyList<CiSpendRow> TopJobs,
    IReadOnlyList<CiWasteRow> Waste,
    IReadOnlyList<CiBudgetRow> Budgets,
    IReadOnlyList<CiBillRow> Bills,
    IReadOnlyList<CiNearTimeoutRow> NearTimeout,
    IReadOnlyList<CreditPoolRow> CreditPools);

/// <summary>The CI cost reports for reviewers: each read checks the role on the server, then runs the database queries.</summary>
public sealed class GetCiCosts(Handlers handlers, TimeProvider clock)
{
    public const int TopJobs = 15;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public Task<Result<CiCostOverview>> OverviewAsync(string userId, CiPeriod period, CancellationToken cancellationToken = default) =>
        AsReviewerAsync(userId, async db => new CiCostOverview(
            period,
            await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.MonthAndProvider, cancellationToken: cancellationToken),
            await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Provider, cancellationToken: cancellationToken),
            await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Project, 50, cancellationToken),
            await CiCostQueries.MostExpensiveJobsAsync(db, period, TopJobs, cancellationToken),
            await CiCostQueries.WasteAsync(db, period, cancellationToken),
            await CiCostQueries.BudgetsAsync(db, period, cancellationToken),
            await CiCostQueries.BillsAsync(db, period, cancellationToken),
            await CiCostQueries.NearTimeoutAsync(db, period, cancellationToken: cancellationToken),
            await CreditPoolForecast.AllAsync(db, Today, period.ProviderId, cancellationToken)), cancellationToken);

    public Task<Result<IReadOnlyList<CiDurationSpread>>> DurationSpreadAsync(string userId, int providerId, string project, string job, CiPeriod period,
        CancellationToken cancellationToken = default) =>
        AsReviewerAsync(userId, db => CiCostQueries.DurationSpreadAsync(db, providerId, project, job, period, cancellationToken), cancellationToken);

    public Task<Result<IReadOnlyList<CiProviderChoice>>> ProvidersAsync(string userId, CancellationToken cancellationToken = default) =>
        AsReviewerAsync<IReadOnlyList<CiProviderChoice>>(userId, async db =>
            await db.CiProviders.AsNoTracking().OrderBy(p => p.Name).Select(p => new CiProviderChoice(p.Id, p.Name, p.Kind)).ToListAsync(cancellationToken), cancellationToken);

    /// <summary>The months the imported usage covers, for the "range of the data" shortcut.</summary>
    public Task<Result<CiDataRange?>> DataRangeAsync(string userId, int? providerId, CancellationToken cancellationToken = default) =>
        AsReviewerAsync(userId, db => CiCostQueries.DataRangeAsync(db, providerId, cancellationToken), cancellationToken);

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can see CI costs.");

    /// <summary>Runs a report as a reviewer; anyone else is refused before a query runs.</summary>
    public Task<Result<T>> AsReviewerAsync<T>(string userId, Func<AppDbContext, Task<T>> read, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope => Result<T>.Ok(await read(scope.Db)), cancellationToken);
}

/// <summary>A provider to filter the report by; its kind fixes its colour on the charts (<see cref="CiProviderColours"/>).</summary>
public sealed record CiProviderChoice(int Id, string Name, CiProviderKind Kind)
{
    public string Colour => CiProviderColours.For(Kind, Name);
}
