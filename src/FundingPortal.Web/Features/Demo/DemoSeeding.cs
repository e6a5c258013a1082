using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// One demo run: what the areas share (people, funds, tasks, CI providers) and the few helpers that keep the books straight.
/// Each area is in its own file: <c>SeedPeople</c>, <c>SeedTasks</c>, <c>SeedCiUsage</c>, <c>SeedPledges</c>,
/// <c>SeedFulfilment</c>, <c>SeedSpending</c>. With <c>knownKeyStore</c> (Development only) the admin gets
/// <see cref="DemoAuthenticator.AdminKey"/>.
/// </summary>
internal sealed partial class DemoSeeding(
    AppDbContext db, UserManager<ApplicationUser> users, IUserStore<ApplicationUser>? knownKeyStore, DemoSize size, string baseCurrency, DateTime now, CancellationToken cancellationToken)
{
    // Each area draws from its own generator (Seed + n), so a change in one area does not reshuffle the others.
    private const int Seed = 2018;

    // The portal settings' defaults (PortalSettings): demo history follows them.
    private const int GracePeriodDays = 30;
    private const int ReminderIntervalDays = 14;

    // US dollars per unit; fixed so reruns are identical, decimal so no amount ever goes through floating point.
    private static readonly Dictionary<string, decimal> UsdPerUnit = new(StringComparer.Ordinal)
    {
        ["USD"] = 1m,
        ["EUR"] = 1.08m,
        ["GBP"] = 1.27m,
        ["JPY"] = 0.0067m,
    };

    private readonly DateOnly _today = DateOnly.FromDateTime(now);
    private readonly Dictionary<int, long> _fundBalances = [];
    private long _sequence;

    /// <summary>The first day of the two years of history the demo tells.</summary>
    private DateOnly HistoryStart => _today.AddYears(-2);

    public async Task<SeededDemo> RunAsync()
    {
        // All or nothing: a failed run leaves the database empty, so the next start simply tries again.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var logins = await SeedPeopleAsync();
        // From here on rows are only added, never changed after being added, so change detection is pure overhead.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await SeedTasksAsync();
            var ciBills = await SeedCiUsageAsync();
            await SeedPledgesAsync();
            await SeedSpendingAsync(ciBills);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
        await transaction.CommitAsync(cancellationToken);
        return new SeededDemo(logins);
    }

    private async Task SaveAsync() => await db.SaveChangesAsync(cancellationToken);

    /// <summary>Saves and forgets what was saved, so a large run holds one batch in memory, not the whole history.</summary>
    private async Task FlushAsync()
    {
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>A number no other reference in this run uses, for payment references and external ids.</summary>
    private long NextReference() => ++_sequence;

    /// <summary>Converts to the base currency at the demo's fixed rate, rounded to whole minor units.</summary>
    private (Money Amount, decimal Rate) ToBase(Money original)
    {
        var rate = decimal.Round(UsdPerUnit[original.Currency] / UsdPerUnit[baseCurrency], 8);
        var major = original.ToMajor() * rate;
        var minor = decimal.Round(major * PowerOfTen(Currency.Exponent(baseCurrency)), 0, MidpointRounding.AwayFromZero);
        return (new Money((long)minor, baseCurrency), rate);
    }

    /// <summary>
    /// An amount thought of in US dollars, expressed in <paramref name="currency"/> and rounded the way a sponsor would write
    /// it: to a multiple of <paramref name="step"/> (a hundred times that in yen).
    /// </summary>
    private static Money FromUsd(decimal usd, string currency, int step = 50)
    {
        var unit = currency == "JPY" ? step * 100m : step;
        var major = Math.Max(unit, decimal.Round(usd / UsdPerUnit[currency] / unit, 0, MidpointRounding.AwayFromZero) * unit);
        return new Money((long)(major * PowerOfTen(Currency.Exponent(currency))), currency);
    }

    /// <summary>Books one movement on a fund's ledger; the original amount keeps its sign and currency.</summary>
    private LedgerEntry Book(int fundId, LedgerEntryKind kind, Money original, string description, DateTime occurredAt, DateTime recordedAt,
        string? userId, int? organisationId = null, int? paymentId = null, int? refundId = null, int? expenseId = null, Guid? transferId = null)
    {
        var (amount, rate) = ToBase(original);
        _fundBalances[fundId] = _fundBalances.GetValueOrDefault(fundId) + amount.MinorUnits;
        var entry = LedgerEntry.Book(new LedgerPosting(fundId, kind, amount, original, rate, description, occurredAt, recordedAt, userId,
            organisationId, paymentId, refundId, expenseId, transferId));
        db.LedgerEntries.Add(entry);
        return entry;
    }

    private DateTime NotAfterNow(DateTime at) => at > now ? now : at;

    private static DateTime At(DateOnly day, int minuteOfDay) =>
        day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddMinutes(minuteOfDay);

    private static DateTime During(Random random, DateOnly day, int fromHour = 8, int toHour = 19) =>
        At(day, random.Next(fromHour * 60, toHour * 60));

    private static DateOnly DayBetween(Random random, DateOnly from, DateOnly to) =>
        to <= from ? from : from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));

    private static decimal Between(Random random, int min, int max, int step) => min + (step * random.Next(((max - min) / step) + 1));

    private static bool Chance(Random random, double probability) => random.NextDouble() < probability;

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static T Weighted<T>(Random random, params (T Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }
            roll -= weight;
        }
        return choices[^1].Value;
    }

    private static string Hex(Random random, int bytes)
    {
        var buffer = new byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    private static decimal PowerOfTen(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }

    /// <summary>The demo only asks for moves the rules allow; a refusal here is a bug in the generator.</summary>
    private static T Must<T>(Result<T> result) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"Demo data broke a rule: {result.Problem!.Message}");
}
