namespace FundingPortal.Web.Features.CiCosts;

/// <summary>The provider form as typed.</summary>
public sealed class ProviderInput
{
    public string Name { get; set; } = "";

    public CiProviderKind Kind { get; set; } = CiProviderKind.GitHubActions;

    public CiRounding Rounding { get; set; } = CiRounding.PerJobUpToMinute;

    public int IncludedMinutesPerMonth { get; set; }

    public string Currency { get; set; } = "USD";

    /// <summary>For self-hosted runners: what the machines cost a month, in the provider's currency (empty for none).</summary>
    public string HostingCost { get; set; } = "";
}

/// <summary>A list price as typed: per minute, or for credit-based providers credits per minute and the price of a credit.</summary>
public sealed class PriceInput
{
    public string RunnerType { get; set; } = "";

    public RunnerOs Os { get; set; } = RunnerOs.Linux;

    public string PricePerMinute { get; set; } = "";

    public string Multiplier { get; set; } = "1";

    public string CreditsPerMinute { get; set; } = "";

    public string PricePerCredit { get; set; } = "";

    public DateTime? ValidFrom { get; set; }
}

public sealed class TimeoutInput
{
    public string Project { get; set; } = "";

    public string JobName { get; set; } = "";

    public int TimeoutMinutes { get; set; } = 60;
}

public sealed class BudgetInput
{
    public DateTime? Month { get; set; }

    public string Amount { get; set; } = "";

    public int AlertThresholdPercent { get; set; } = 80;
}

public sealed class CreditPoolInput
{
    public string Name { get; set; } = "";

    public string Credits { get; set; } = "";

    public int? PledgeId { get; set; }

    public DateTime? StartsOn { get; set; }

    public DateTime? ExpiresOn { get; set; }
}

public sealed record PriceRow(int Id, string RunnerType, RunnerOs Os, decimal PricePerMinute, decimal Multiplier, decimal PricePerCredit, DateOnly ValidFrom);

public sealed record ProviderBook(int Id, string Name, CiProviderKind Kind, CiRounding Rounding, int IncludedMinutesPerMonth, string Currency, Money HostingCost,
    IReadOnlyList<PriceRow> Prices, IReadOnlyList<CiJobTimeout> Timeouts, IReadOnlyList<Budget> Budgets);

public sealed record PledgeChoice(int Id, string Label);

/// <summary>
/// The CI price book, for admins: providers, list prices with valid-from dates, hosting costs, job timeouts, monthly budgets
/// and credit pools. Every change is checked by the domain, refused with the field it concerns, and leaves an audit event.
/// </summary>
public sealed class ManagePriceBook(IDbContextFactory<AppDbContext> contexts, Handlers handlers)
{
    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    public Task<Result<IReadOnlyList<ProviderBook>>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Readers, async scope =>
        {
            var db = scope.Db;
            var providers = await db.CiProviders.AsNoTracking().Include(p => p.Prices).OrderBy(p => p.Name).ToListAsync(cancellationToken);
            var timeouts = await db.CiJobTimeouts.AsNoTracking().OrderBy(t => t.Project).ThenBy(t => t.JobName).ToListAsync(cancellationToken);
            var since = new DateOnly(scope.Now.Year - 1, 1, 1);
            var budgets = await db.Budgets.AsNoTracking().Where(b => b.ProviderId != null && b.Month >= since).OrderByDescending(b => b.Month).ToListAsync(cancellationToken);
            return Result<IReadOnlyList<ProviderBook>>.Ok(providers.Select(p => new ProviderBook(p.Id, p.Name, p.Kind, p.Rounding, p.IncludedMinutesPerMonth, p.Currency,
                new Money(p.MonthlyHostingCostMinor, p.Currency),
                p.Prices.OrderBy(x => x.RunnerType).ThenByDescending(x => x.ValidFrom)
                    .Select(x => new PriceRow(x.Id, x.RunnerType, x.Os, x.PricePerMinute, x.Multiplier, x.PricePerCredit, x.ValidFrom)).ToList(),
                timeouts.Where(t => t.ProviderId == p.Id).ToList(),
                budgets.Where(b => b.ProviderId == p.Id).ToList())).ToList());
        }, cancellationToken);

    /// <summary>Infrastructure pledges that were accepted, which a credit pool may be linked to.</summary>
    public async Task<IReadOnlyList<PledgeChoice>> InfrastructurePledgesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Pledges.AsNoTracking().Where(p => p.Kind == PledgeKind.Infrastructure && AcceptedStatuses.Contains(p.Status))
            .OrderByDescending(p => p.Id)
            .Select(p => new PledgeChoice(p.Id, "#" + p.Id + " " + db.Organisations.Where(o => o.Id == p.OrganisationId).Select(o => o.Name).FirstOrDefault()))
            .Take(200).ToListAsync(cancellationToken);
    }

    private static readonly PledgeStatus[] AcceptedStatuses = [PledgeStatus.Active, PledgeStatus.Paused, PledgeStatus.Fulfilled, PledgeStatus.PartiallyFulfilled];

    public Task<Result<int>> SaveProviderAsync(int? providerId, ProviderInput input, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(userId, async (db, now) =>
        {
            var hosting = string.IsNullOrWhiteSpace(input.HostingCost) ? Result<Money>.Ok(Money.Zero(Currency.IsKnown(input.Currency) ? input.Currency : "USD"))
                : Money.ParsePositive(input.HostingCost, input.Currency);
            if (!hosting.Succeeded)
            {
                return Result<int>.Invalid(hosting.Problem!.Field == "currency" ? nameof(ProviderInput.Currency) : nameof(ProviderInput.HostingCost), hosting.Problem.Message);
            }
            CiProvider provider;
            object? before = null;
            if (providerId is { } id)
            {
                var found = await db.CiProviders.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
                if (found is null)
                {
                    return Result<int>.NotFound("The provider");
                }
                provider = found;
                before = Snapshot(provider);
                var changed = provider.Configure(input.Name, input.Rounding, input.IncludedMinutesPerMonth, input.Currency);
                if (!changed.Succeeded)
                {
                    return changed.Problem!;
                }
            }
            else
            {
                var created = CiProvider.New(input.Name, input.Kind, input.Rounding, input.IncludedMinutesPerMonth, input.Currency);
                if (!created.Succeeded)
                {
                    return created.Problem!;
                }
                provider = created.Value!;
                db.CiProviders.Add(provider);
            }
            var cost = provider.ChangeHostingCost(hosting.Value);
            if (!cost.Succeeded)
            {
                return cost.Problem!;
            }
            if (await db.CiProviders.AnyAsync(p => p.Name == provider.Name && p.Id != provider.Id, cancellationToken))
            {
                return Result<int>.Invalid(nameof(ProviderInput.Name), $"There is already a provider called {provider.Name}.");
            }
            await db.SaveChangesAsync(cancellationToken);
            db.Audit(providerId is null ? "ci-provider.created" : "ci-provider.changed", nameof(CiProvider), Key(provider.Id), userId, now, before: before,
                after: Snapshot(provider));
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(provider.Id);
        }, cancellationToken);

    private static object Snapshot(CiProvider p) =>
        new { p.Name, Kind = p.Kind.ToString(), Rounding = p.Rounding.ToString(), p.IncludedMinutesPerMonth, p.Currency, p.MonthlyHostingCostMinor };

    public Task<Result<int>> AddPriceAsync(int providerId, PriceInput input, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(userId, async (db, now) =>
        {
            var provider = await db.CiProviders.Include(p => p.Prices).SingleOrDefaultAsync(p => p.Id == providerId, cancellationToken);
            if (provider is null)
            {
                return Result<int>.NotFound("The provider");
            }
            var checks = new FieldChecks();
            checks.Require(input.ValidFrom is not null, nameof(PriceInput.ValidFrom), "Enter the date the price applies from.");
            Result<CiRunnerPrice>? added = null;
            if (provider.Kind == CiProviderKind.CircleCi)
            {
                checks.Require(int.TryParse(input.CreditsPerMinute, NumberStyles.Integer, CultureInfo.InvariantCulture, out var credits),
                    nameof(PriceInput.CreditsPerMinute), "Enter the credits the runner burns per minute, e.g. 10.");
                checks.Require(decimal.TryParse(input.PricePerCredit, NumberStyles.Number, CultureInfo.InvariantCulture, out var perCredit),
                    nameof(PriceInput.PricePerCredit), "Enter the price of one credit, e.g. 0.0006.");
                if (checks.Passed)
                {
                    added = provider.AddCreditListPrice(input.RunnerType, input.Os, credits, perCredit, DateOnly.FromDateTime(input.ValidFrom!.Value));
                }
            }
            else
            {
                checks.Require(decimal.TryParse(input.PricePerMinute, NumberStyles.Number, CultureInfo.InvariantCulture, out var perMinute),
                    nameof(PriceInput.PricePerMinute), "Enter the price per minute, e.g. 0.008.");
                checks.Require(decimal.TryParse(input.Multiplier, NumberStyles.Number, CultureInfo.InvariantCulture, out var multiplier),
                    nameof(PriceInput.Multiplier), "Enter the multiplier, e.g. 1, 2 or 10.");
                if (checks.Passed)
                {
                    added = provider.AddListPrice(input.RunnerType, input.Os, perMinute, multiplier, DateOnly.FromDateTime(input.ValidFrom!.Value));
                }
            }
            if (added is null)
            {
                return checks.Problem!;
            }
            if (!added.Succeeded)
            {
                return Result<int>.Invalid(FormField(added.Problem!.Field), added.Problem.Message);
            }
            await db.SaveChangesAsync(cancellationToken);
            var price = added.Value!;
            db.Audit("ci-price.added", nameof(CiRunnerPrice), Key(price.Id), userId, now, after: new
            {
                Provider = provider.Name,
                price.RunnerType,
                Os = price.Os.ToString(),
                price.PricePerMinute,
                price.Multiplier,
                price.PricePerCredit,
                price.ValidFrom,
            });
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(price.Id);
        }, cancellationToken);

    public Task<Result<int>> SaveTimeoutAsync(int providerId, TimeoutInput input, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(userId, async (db, now) =>
        {
            if (!await db.CiProviders.AnyAsync(p => p.Id == providerId, cancellationToken))
            {
                return Result<int>.NotFound("The provider");
            }
            var project = input.Project.Trim();
            var job = input.JobName.Trim();
            var timeout = await db.CiJobTimeouts.SingleOrDefaultAsync(t => t.ProviderId == providerId && t.Project == project && t.JobName == job, cancellationToken);
            int? before = timeout?.TimeoutMinutes;
            var saved = timeout is null ? CiJobTimeout.Create(providerId, project, job, input.TimeoutMinutes) : timeout.Change(input.TimeoutMinutes);
            if (!saved.Succeeded)
            {
                return Result<int>.Invalid(FormField(saved.Problem!.Field), saved.Problem.Message);
            }
            if (timeout is null)
            {
                db.CiJobTimeouts.Add(saved.Value!);
            }
            await db.SaveChangesAsync(cancellationToken);
            db.Audit("ci-job-timeout.saved", nameof(CiJobTimeout), Key(saved.Value!.Id), userId, now,
                before: before is null ? null : new { TimeoutMinutes = before }, after: new { providerId, project, job, input.TimeoutMinutes });
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(saved.Value!.Id);
        }, cancellationToken);

    /// <summary>Sets the provider's budget for a month (replacing the one already set for that month).</summary>
    public Task<Result<int>> SaveBudgetAsync(int providerId, BudgetInput input, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(userId, async (db, now) =>
        {
            var provider = await db.CiProviders.AsNoTracking().SingleOrDefaultAsync(p => p.Id == providerId, cancellationToken);
            if (provider is null)
            {
                return Result<int>.NotFound("The provider");
            }
            var checks = new FieldChecks();
            checks.Require(input.Month is not null, nameof(BudgetInput.Month), "Enter the month the budget is for.");
            var amount = Money.ParsePositive(input.Amount, provider.Currency);
            if (!amount.Succeeded)
            {
                checks.Add(nameof(BudgetInput.Amount), amount.Problem!.Message);
            }
            if (checks.Problem is { } problem)
            {
                return problem;
            }
            var month = new DateOnly(input.Month!.Value.Year, input.Month.Value.Month, 1);
            var budget = await db.Budgets.SingleOrDefaultAsync(b => b.ProviderId == providerId && b.Month == month, cancellationToken);
            var before = budget is null ? null : new { budget.AmountMinor, budget.Currency, budget.AlertThresholdPercent };
            var saved = budget is null ? Budget.Plan(providerId, month, amount.Value, input.AlertThresholdPercent) : budget.Change(amount.Value, input.AlertThresholdPercent);
            if (!saved.Succeeded)
            {
                return Result<int>.Invalid(FormField(saved.Problem!.Field), saved.Problem.Message);
            }
            if (budget is null)
            {
                db.Budgets.Add(saved.Value!);
            }
            await db.SaveChangesAsync(cancellationToken);
            db.Audit("ci-budget.saved", nameof(Budget), Key(saved.Value!.Id), userId, now, before: before,
                after: new { Provider = provider.Name, Month = month, saved.Value.AmountMinor, saved.Value.Currency, saved.Value.AlertThresholdPercent });
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(saved.Value!.Id);
        }, cancellationToken);

    /// <summary>Opens a credit pool, bought or linked to an accepted infrastructure pledge.</summary>
    public Task<Result<int>> OpenCreditPoolAsync(int providerId, CreditPoolInput input, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(userId, async (db, now) =>
        {
            if (!await db.CiProviders.AnyAsync(p => p.Id == providerId, cancellationToken))
            {
                return Result<int>.NotFound("The provider");
            }
            var checks = new FieldChecks();
            checks.Require(long.TryParse(input.Credits, NumberStyles.Integer | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var credits),
                nameof(CreditPoolInput.Credits), "Enter a whole number of credits or minutes, e.g. 500000.");
            checks.Require(input.StartsOn is not null, nameof(CreditPoolInput.StartsOn), "Enter the date the pool starts.");
            checks.Require(input.PledgeId is not { } pledgeId
                || await db.Pledges.AnyAsync(p => p.Id == pledgeId && p.Kind == PledgeKind.Infrastructure && AcceptedStatuses.Contains(p.Status), cancellationToken),
                nameof(CreditPoolInput.PledgeId), "Pick an accepted infrastructure pledge, or none for bought credits.");
            if (checks.Problem is { } problem)
            {
                return problem;
            }
            var opened = CreditPool.Open(providerId, input.Name, credits, input.PledgeId, DateOnly.FromDateTime(input.StartsOn!.Value),
                input.ExpiresOn is { } expires ? DateOnly.FromDateTime(expires) : null);
            if (!opened.Succeeded)
            {
                return Result<int>.Invalid(FormField(opened.Problem!.Field), opened.Problem.Message);
            }
            var pool = opened.Value!;
            db.CreditPools.Add(pool);
            await db.SaveChangesAsync(cancellationToken);
            db.Audit("ci-credit-pool.opened", nameof(CreditPool), Key(pool.Id), userId, now,
                after: new { providerId, pool.Name, pool.Credits, pool.PledgeId, pool.StartsOn, pool.ExpiresOn });
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(pool.Id);
        }, cancellationToken);

    /// <summary>The domain names fields in camelCase; forms name them after the input's properties.</summary>
    private static string FormField(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];

    private static readonly HandlerRules Readers = new(Caller.Reviewer, "Only reviewers can see the CI price book.");

    private static readonly HandlerRules Admins = new(Caller.Admin, "Only admins can change the CI price book.");

    private Task<Result<int>> AsAdminAsync(string userId, Func<AppDbContext, DateTime, Task<Result<int>>> change, CancellationToken cancellationToken) =>
        handlers.RunAsync(userId, Admins, scope => change(scope.Db, scope.Now), cancellationToken);
}
