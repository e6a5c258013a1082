using FundingPortal.Web.Features.Organisations;
using FundingPortal.Web.Infrastructure.Email;

using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Pledges;

public sealed record FundChoice(int FundId, string Name, bool IsTask);

public sealed record PledgePreview(string Terms, string Total);

/// <summary>
/// A sponsor member submits a pledge for their organisation (or resubmits one a reviewer asked to change). Everything is checked
/// here, whatever the form already checked; the pledge and its audit event are saved together, then the billing email is told.
/// </summary>
public sealed class SubmitPledge(IDbContextFactory<AppDbContext> contexts, Handlers handlers, Mailer mailer, TimeProvider clock, IOptions<PledgeOptions> options, IOptions<PortalOptions> portal)
{
    /// <summary>Where the organisation can pledge: the central fund and every task that still accepts pledges.</summary>
    public async Task<IReadOnlyList<FundChoice>?> FundsAsync(int organisationId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ForMemberAsync(organisationId, userId, cancellationToken) is null)
        {
            return null;
        }
        return await db.Funds.AsNoTracking()
            .Where(f => f.Kind == FundKind.Central
                || (f.Task != null && f.Task.Status != DevopsTaskStatus.Done && f.Task.Status != DevopsTaskStatus.Cancelled))
            .OrderBy(f => f.Kind).ThenBy(f => f.Name)
            .Select(f => new FundChoice(f.Id, f.Kind == FundKind.Central ? "Central fund" : f.Task!.Title, f.Kind == FundKind.Task))
            .ToListAsync(cancellationToken);
    }

    public bool CardPaymentsEnabled => options.Value.CardPaymentsEnabled;

    /// <summary>An empty form starting on the first day of next month, the most common start for a recurring pledge.</summary>
    public PledgeInput NewInput()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return new PledgeInput { Start = new DateOnly(today.Year, today.Month, 1).AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
    }

    /// <summary>Checks the form and says in words what the organisation would commit to; saves nothing.</summary>
    public async Task<Result<PledgePreview>> PreviewAsync(int organisationId, PledgeInput input, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var built = await BuildAsync(db, organisationId, input, userId, cancellationToken);
        return built.Succeeded
            ? Result<PledgePreview>.Ok(new PledgePreview(built.Value!.Terms, PledgeTerms.TotalText(built.Value.Pledge)))
            : built.Problem!;
    }

    public async Task<Result<int>> SubmitAsync(int organisationId, PledgeInput input, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var built = await BuildAsync(db, organisationId, input, userId, cancellationToken);
        if (!built.Succeeded)
        {
            return built.Problem!;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-1);
        if (await db.Pledges.CountAsync(p => p.SubmittedByUserId == userId && p.SubmittedAt > since, cancellationToken) >= options.Value.PledgesPerHour)
        {
            return Result<int>.Conflict($"You have submitted {options.Value.PledgesPerHour} pledges in the last hour, the most one person can. Try again later.");
        }
        var (pledge, organisation, terms) = built.Value!;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Pledges.Add(pledge);
            await db.SaveChangesAsync(cancellationToken);
            db.Audit("pledge.submitted", nameof(Pledge), Id(pledge.Id), userId, now, organisationId,
                after: new { status = pledge.Status.ToString(), terms });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await mailer.SendAsync(PledgeEmails.Received(organisation, terms, resubmitted: false), cancellationToken);
        return Result<int>.Ok(pledge.Id);
    }

    /// <summary>Replaces the terms of a pledge a reviewer sent back, and puts it back in the review queue.</summary>
    public Task<Result<int>> ResubmitAsync(int organisationId, int pledgeId, PledgeInput input, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Members, scope => ResubmitAsync(organisationId, pledgeId, input, scope, cancellationToken), cancellationToken);

    /// <summary>Members of the organisation: <see cref="BuildAsync"/> loads it only for them.</summary>
    private static readonly HandlerRules Members = new(Caller.SignedIn, "Sign in to pledge.",
        "The pledge changed while you were amending it. Reload the page to see where it stands.");

    private async Task<Result<int>> ResubmitAsync(int organisationId, int pledgeId, PledgeInput input, HandlerScope scope, CancellationToken cancellationToken)
    {
        var (db, userId, now) = scope;
        var built = await BuildAsync(db, organisationId, input, userId, cancellationToken);
        if (!built.Succeeded)
        {
            return built.Problem!;
        }
        var pledge = await db.Pledges.SingleOrDefaultAsync(p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellationToken);
        if (pledge is null)
        {
            return Result<int>.NotFound("The pledge");
        }
        var (amended, organisation, terms) = built.Value!;
        var fundName = await db.Funds.Where(f => f.Id == pledge.FundId).Select(f => f.Name).SingleAsync(cancellationToken);
        var before = new { status = pledge.Status.ToString(), terms = PledgeTerms.Describe(pledge, fundName) };
        var resubmitted = pledge.Resubmit(amended, now);
        if (!resubmitted.Succeeded)
        {
            return resubmitted.Problem!;
        }
        db.Audit("pledge.resubmitted", nameof(Pledge), Id(pledge.Id), userId, now, organisationId, before,
            new { status = pledge.Status.ToString(), terms });
        await db.SaveChangesAsync(cancellationToken);
        await mailer.SendAsync(PledgeEmails.Received(organisation, terms, resubmitted: true), cancellationToken);
        return Result<int>.Ok(pledge.Id);
    }

    private sealed record Built(Pledge Pledge, Organisation Organisation, string Terms);

    private async Task<Result<Built>> BuildAsync(AppDbContext db, int organisationId, PledgeInput input, string userId, CancellationToken cancellationToken)
    {
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        if (organisation is null)
        {
            return Result<Built>.NotFound("The organisation");
        }
        var checks = new FieldChecks();
        var fund = input.FundId is { } fundId
            ? await db.Funds.AsNoTracking().Include(f => f.Task).SingleOrDefaultAsync(f => f.Id == fundId, cancellationToken)
            : null;
        if (checks.Require(fund is not null, "fund", "Choose where the pledge goes: the central fund or a task.") && fund!.Task is { AcceptsPledges: false } task)
        {
            checks.Add("fund", $"The task '{task.Title}' is {Display.Words(task.Status).ToLowerInvariant()} and takes no more pledges.");
        }
        var pledge = Build(organisationId, fund, input, userId, clock.GetUtcNow().UtcDateTime, checks);
        return checks.Problem is { } problem
            ? problem
            : Result<Built>.Ok(new Built(pledge!, organisation, PledgeTerms.Describe(pledge!, fund!.Kind == FundKind.Central ? "the central fund" : $"the task '{fund.Task!.Title}'")));
    }

    /// <summary>The pledge the form describes, or null with every problem of the form recorded in <paramref name="checks"/>.</summary>
    private Pledge? Build(int organisationId, Fund? fund, PledgeInput input, string userId, DateTime now, FieldChecks checks)
    {
        checks.Require(Enum.IsDefined(input.Kind), "kind", "Choose what the organisation pledges: money, engineer time or infrastructure.");
        checks.Require(Enum.IsDefined(input.Frequency), "frequency", "Choose how often: once, monthly, quarterly or yearly.");
        var today = DateOnly.FromDateTime(now);
        if (checks.Require(TryDate(input.Start, out var start), "start", "Enter the start date (yyyy-MM-dd)."))
        {
            checks.Require(start >= today.AddYears(-1) && start <= today.AddYears(5), "start", "The start date must be within a year before and five years after today.");
        }
        DateOnly? end = null;
        if (!string.IsNullOrWhiteSpace(input.End) && checks.Require(TryDate(input.End, out var parsed), "end", "Enter the end date as yyyy-MM-dd, or leave it empty."))
        {
            end = parsed;
        }
        var schedule = checks.Failed("frequency") || checks.Failed("start") || checks.Failed("end")
            ? null
            : checks.Take(PledgeSchedule.Create(input.Frequency, start, end, input.Frequency == PledgeFrequency.OneOff ? null : input.Periods));
        var pledge = input.Kind switch
        {
            PledgeKind.Money => Money(organisationId, fund, input, userId, now, schedule, checks),
            PledgeKind.EngineerTime => EngineerTime(organisationId, fund, input, userId, now, schedule, checks),
            PledgeKind.Infrastructure => Infrastructure(organisationId, fund, input, userId, now, schedule, checks),
            _ => null,
        };
        return checks.Passed ? pledge : null;
    }

    private Pledge? Money(int organisationId, Fund? fund, PledgeInput input, string userId, DateTime now, PledgeSchedule? schedule, FieldChecks checks)
    {
        var amount = checks.Take(Bounded(Core.Domain.Money.ParsePositive(input.Amount, input.Currency), "amount"));
        if (checks.Require(Enum.IsDefined(input.PaymentMethod), "paymentMethod", "Choose how the money will be paid."))
        {
            checks.Require(input.PaymentMethod != PaymentMethod.Card || options.Value.CardPaymentsEnabled, "paymentMethod",
                "Card payment arrives with Stripe; choose invoice or bank transfer for now.");
        }
        if (checks.Require(Enum.IsDefined(input.PaymentTiming), "paymentTiming", "Choose when the money is paid."))
        {
            checks.Require(input.PaymentTiming != PaymentTiming.OnCompletion || fund is null || fund.Kind == FundKind.Task, "paymentTiming",
                "Paying on completion is for a task; the central fund is paid as the pledge falls due.");
        }
        return checks.Passed ? Pledge.SubmitMoney(organisationId, fund!.Id, amount, schedule!, input.PaymentMethod, input.PaymentTiming, userId, now) : null;
    }

    private Pledge? EngineerTime(int organisationId, Fund? fund, PledgeInput input, string userId, DateTime now, PledgeSchedule? schedule, FieldChecks checks)
    {
        var max = PledgeSchedule.MaxHoursPerPeriod(input.Frequency);
        if (checks.Require(decimal.TryParse(input.Hours?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var hours) && hours > 0, "hours", "Enter the hours per period, more than 0.")
            && checks.Require(hours * 60 == decimal.Truncate(hours * 60), "hours", "Hours are kept to the minute: enter at most the precision of a minute, e.g. 1.5 or 0.25."))
        {
            checks.Require(hours <= max.TotalHours, "hours", $"A period holds at most {max.TotalHours:0} hours.");
        }
        var engineer = string.IsNullOrWhiteSpace(input.EngineerName) ? null : input.EngineerName.Trim();
        checks.Require(engineer is not { Length: > TimeEntry.EngineerMaxLength }, "engineerName", $"The engineer's name can be at most {TimeEntry.EngineerMaxLength} characters.");
        var rate = Bounded(Core.Domain.Money.ParsePositive(input.Rate, input.Currency), "amount");
        if (!rate.Succeeded)
        {
            checks.Add(rate.Problem!.Field == "amount" ? "rate" : rate.Problem.Field, rate.Problem.Field == "amount"
                ? "Enter the value of one hour of this engineer's time (for reports), more than zero. " + rate.Problem.Message
                : rate.Problem.Message);
        }
        return checks.Passed ? Pledge.SubmitEngineerTime(organisationId, fund!.Id, Core.Domain.Hours.FromHours(hours), schedule!, engineer, rate.Value, userId, now) : null;
    }

    private Pledge? Infrastructure(int organisationId, Fund? fund, PledgeInput input, string userId, DateTime now, PledgeSchedule? schedule, FieldChecks checks)
    {
        checks.Require(Enum.IsDefined(input.InfrastructureKind), "infrastructureKind", "Choose what kind of infrastructure.");
        var description = input.Description?.Trim() ?? "";
        checks.Require(description.Length > 0 && description.Length <= PledgeInput.DescriptionMaxLength, "description",
            $"Describe what is given, e.g. \"5 Windows runners\" (up to {PledgeInput.DescriptionMaxLength} characters).");
        var value = Bounded(Core.Domain.Money.ParsePositive(input.Value, input.Currency), "amount");
        if (!value.Succeeded)
        {
            checks.Add(value.Problem!.Field == "amount" ? "value" : value.Problem.Field, value.Problem.Message);
        }
        return checks.Passed ? Pledge.SubmitInfrastructure(organisationId, fund!.Id, input.InfrastructureKind, description, value.Value, schedule!, userId, now) : null;
    }

    /// <summary>Refuses an amount above <see cref="PortalOptions.MaxAmount"/>, almost always a typing mistake.</summary>
    private Result<Money> Bounded(Result<Money> amount, string field)
    {
        var max = portal.Value.MaxAmount;
        return amount.Succeeded && amount.Value.ToMajor() > max
            ? Result<Money>.Invalid(field, $"At most {max.ToString("#,0.##", CultureInfo.InvariantCulture)} {amount.Value.Currency} a period; check the amount.")
            : amount;
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
