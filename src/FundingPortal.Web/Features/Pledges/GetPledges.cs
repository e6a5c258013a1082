using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Organisations;

namespace FundingPortal.Web.Features.Pledges;

public sealed record QueuedPledge(int Id, string Organisation, string Fund, PledgeKind Kind, string Terms, string Total, DateTime SubmittedAt);

public sealed record InstallmentView(int Sequence, DateOnly PeriodStart, DateOnly PeriodEnd, DateOnly DueDate, string Due, string Delivered, InstallmentStatus Status);

public sealed record PledgeView(
    int Id,
    int OrganisationId,
    string Organisation,
    string Fund,
    PledgeKind Kind,
    PledgeStatus Status,
    string StatusText,
    string Terms,
    string Total,
    bool IsRecurring,
    DateTime SubmittedAt,
    string? ReviewReason,
    DateTime? ReviewedAt,
    string? CancelReason,
    // The pledge's honoured rate of totals (Pledge.HonouredRateOfTotals), as a percentage.
    string HonouredRate,
    int Version,
    IReadOnlyList<InstallmentView> Installments,
    PledgeInput Amend,
    CardState Card);

/// <summary>How a pledge stands with card payment: paid by card at all, payable now, linked to a Stripe subscription, asked for after its task.</summary>
public sealed record CardState(bool ByCard, bool Payable, bool HasSubscription, bool Requested);

/// <param name="HonouredRate">The mean honoured share of the pledge's installments, as a percentage.</param>
public sealed record DashboardPledge(int Id, string Fund, PledgeKind Kind, string Terms, PledgeStatus Status, string StatusText, string HonouredRate, int Installments,
    bool CardPayable = false, bool PaymentRequested = false);

public sealed record DueInstallment(int PledgeId, string Fund, DateOnly DueDate, string Due);

public sealed record PaymentLine(int Id, DateTime ReceivedAt, string Amount, string Fund, string? Reference);

public sealed record TimeEntryLine(int PledgeId, DateOnly Date, string Engineer, string Hours, ConfirmationStatus Status);

public sealed record SponsorDashboard(
    int OrganisationId,
    string Organisation,
    // The mean honoured share of the organisation's installments (HonouredRates), as a percentage.
    string HonouredRate,
    string HoursConfirmed,
    IReadOnlyList<DashboardPledge> Pledges,
    IReadOnlyList<DueInstallment> DueNext,
    IReadOnlyList<PaymentLine> Payments,
    IReadOnlyList<TimeEntryLine> TimeEntries);

public sealed record ReceiptView(
    int PaymentId,
    string Payer,
    string? PayerEmail,
    DateTime ReceivedAt,
    string Amount,
    string BaseAmount,
    decimal ExchangeRate,
    string? Reference,
    string Fund,
    PaymentChannel Channel,
    PaymentStatus Status,
    int? PledgeId);

/// <summary>
/// What pages read about pledges. Sponsors see only their own organisation's (anything else is "not found"); the review queue is
/// for reviewers only. Lists are filtered and ordered in the database; only one organisation's or one pledge's rows reach memory.
/// </summary>
public sealed class GetPledges(IDbContextFactory<AppDbContext> contexts, Handlers handlers, TimeProvider clock)
{
    private const int DueNextCount = 10;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public Task<Result<IReadOnlyList<QueuedPledge>>> QueueAsync(string reviewerId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(reviewerId, new(Caller.Reviewer, "Only the devops group's reviewers can see the review queue."), async scope =>
        {
            var db = scope.Db;
            var pledges = await db.Pledges.AsNoTracking().Include(p => p.Organisation).Include(p => p.Fund).ThenInclude(f => f!.Task)
                .Where(p => p.Status == PledgeStatus.Submitted)
                .OrderBy(p => p.SubmittedAt).ThenBy(p => p.Id)
                .Take(500)
                .ToListAsync(cancellationToken);
            return Result<IReadOnlyList<QueuedPledge>>.Ok([.. pledges.Select(p => new QueuedPledge(p.Id, p.Organisation!.Name, FundTitle(p.Fund!), p.Kind,
                PledgeTerms.Describe(p, ReviewPledge.FundName(p.Fund!)), PledgeTerms.TotalText(p), p.SubmittedAt))]);
        }, cancellationToken);

    /// <summary>One pledge for a reviewer (any organisation's).</summary>
    public Task<Result<PledgeView>> ForReviewerAsync(int pledgeId, string reviewerId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(reviewerId, new(Caller.Reviewer, "Only the devops group's reviewers can review pledges."), async scope =>
        {
            var db = scope.Db;
            var pledge = await LoadAsync(db, p => p.Id == pledgeId, cancellationToken);
            return pledge is null ? Result<PledgeView>.NotFound("The pledge") : Result<PledgeView>.Ok(View(pledge, await HonouredRates.GraceDaysAsync(db, cancellationToken)));
        }, cancellationToken);

    /// <summary>One pledge for a member of the organisation that made it; anyone else gets "not found".</summary>
    public async Task<Result<PledgeView>> ForSponsorAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ForMemberAsync(organisationId, userId, cancellationToken) is null)
        {
            return Result<PledgeView>.NotFound("The pledge");
        }
        var pledge = await LoadAsync(db, p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellationToken);
        return pledge is null ? Result<PledgeView>.NotFound("The pledge") : Result<PledgeView>.Ok(View(pledge, await HonouredRates.GraceDaysAsync(db, cancellationToken)));
    }

    public async Task<Result<SponsorDashboard>> DashboardAsync(int organisationId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        if (organisation is null)
        {
            return Result<SponsorDashboard>.NotFound("The organisation");
        }
        var today = Today;
        var pledges = await db.Pledges.AsNoTracking().Include(p => p.Fund).ThenInclude(f => f!.Task).Include(p => p.Installments)
            .Where(p => p.OrganisationId == organisationId)
            .OrderByDescending(p => p.SubmittedAt).ThenByDescending(p => p.Id)
            .ToListAsync(cancellationToken);
        var countsThrough = Core.Domain.Fulfilment.CountsThrough(today, await HonouredRates.GraceDaysAsync(db, cancellationToken));
        // The mean honoured share per pledge, as HonouredRates computes it per organisation.
        var rates = await HonouredRates.Shares(db.Installments.Where(i => i.Pledge!.OrganisationId == organisationId).CountedThrough(countsThrough))
            .GroupBy(s => s.PledgeId)
            .Select(g => new { PledgeId = g.Key, MeanShare = g.Average(s => s.Share) })
            .ToDictionaryAsync(r => r.PledgeId, r => (double?)r.MeanShare, cancellationToken);
        var counts = await db.Installments.Where(i => i.Pledge!.OrganisationId == organisationId)
            .GroupBy(i => i.PledgeId)
            .Select(g => new { PledgeId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.PledgeId, c => c.Count, cancellationToken);
        var due = await db.Installments.AsNoTracking()
            .Where(i => i.Pledge!.OrganisationId == organisationId && i.Pledge.Status == PledgeStatus.Active
                && (i.Status == InstallmentStatus.Scheduled || i.Status == InstallmentStatus.PartiallyFulfilled || i.Status == InstallmentStatus.Failed))
            .OrderBy(i => i.DueDate).ThenBy(i => i.Id)
            .Take(DueNextCount)
            .Select(i => new { i.PledgeId, i.DueDate, i.AmountDueMinor, i.Currency, i.HoursDueMinutes, i.AmountReceivedMinor, i.HoursDeliveredMinutes })
            .ToListAsync(cancellationToken);
        var funds = pledges.ToDictionary(p => p.Id, p => FundTitle(p.Fund!));
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.OrganisationId == organisationId)
            .OrderByDescending(p => p.ReceivedAt).ThenByDescending(p => p.Id)
            .Join(db.Funds, p => p.FundId, f => f.Id, (p, f) => new { p.Id, p.ReceivedAt, p.AmountMinor, p.Currency, p.Reference, Fund = f.Kind == FundKind.Central ? "Central fund" : f.Name })
            .Take(200)
            .ToListAsync(cancellationToken);
        var entries = await db.TimeEntries.AsNoTracking()
            .Where(t => db.Pledges.Any(p => p.Id == t.PledgeId && p.OrganisationId == organisationId))
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.Id)
            .Take(200)
            .Select(t => new { t.PledgeId, t.Date, t.Engineer, t.Minutes, t.Status })
            .ToListAsync(cancellationToken);
        var confirmedMinutes = await db.TimeEntries
            .Where(t => t.Status == ConfirmationStatus.Confirmed && db.Pledges.Any(p => p.Id == t.PledgeId && p.OrganisationId == organisationId))
            .SumAsync(t => (long?)t.Minutes, cancellationToken) ?? 0;
        var overall = await HonouredRates.MeanHonouredShareForOrganisationAsync(db, organisationId, today, cancellationToken);

        return Result<SponsorDashboard>.Ok(new SponsorDashboard(
            organisationId,
            organisation.Name,
            PledgeTerms.Percent(overall),
            PledgeTerms.Hours(new Hours(confirmedMinutes)),
            [.. pledges.Select(p => new DashboardPledge(p.Id, FundTitle(p.Fund!), p.Kind, PledgeTerms.Describe(p, ReviewPledge.FundName(p.Fund!)), p.Status,
                Display.Words(p.Status), PledgeTerms.Percent(rates.GetValueOrDefault(p.Id)), counts.GetValueOrDefault(p.Id),
                p.AwaitsCardPayment, p.PaymentRequestedAt is not null && p.Installments.Any(i => i.IsOpen)))],
            [.. due.Select(i => new DueInstallment(i.PledgeId, funds.GetValueOrDefault(i.PledgeId, ""), i.DueDate,
                Outstanding(i.HoursDueMinutes, i.HoursDeliveredMinutes, i.AmountDueMinor, i.AmountReceivedMinor, i.Currency)))],
            [.. payments.Select(p => new PaymentLine(p.Id, p.ReceivedAt, PledgeTerms.Amount(new Money(p.AmountMinor, p.Currency)), p.Fund, p.Reference))],
            [.. entries.Select(t => new TimeEntryLine(t.PledgeId, t.Date, t.Engineer, PledgeTerms.Hours(new Hours(t.Minutes)), t.Status))]));
    }

    public async Task<Result<ReceiptView>> ReceiptAsync(int organisationId, int paymentId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        if (organisation is null)
        {
            return Result<ReceiptView>.NotFound("The receipt");
        }
        var receipt = await db.Payments.AsNoTracking()
            .Where(p => p.Id == paymentId && p.OrganisationId == organisationId)
            .Join(db.Funds, p => p.FundId, f => f.Id, (p, f) => new { Payment = p, Fund = f.Kind == FundKind.Central ? "Central fund" : f.Name })
            .SingleOrDefaultAsync(cancellationToken);
        if (receipt is null)
        {
            return Result<ReceiptView>.NotFound("The receipt");
        }
        var p = receipt.Payment;
        return Result<ReceiptView>.Ok(new ReceiptView(p.Id, organisation.Name, organisation.BillingEmail, p.ReceivedAt, PledgeTerms.Amount(p.Amount),
            PledgeTerms.Amount(p.BaseAmount), p.ExchangeRate, p.Reference, receipt.Fund, p.Channel, p.Status, p.PledgeId));
    }

    private static Task<Pledge?> LoadAsync(AppDbContext db, System.Linq.Expressions.Expression<Func<Pledge, bool>> which, CancellationToken cancellationToken) =>
        db.Pledges.AsNoTracking().Include(p => p.Organisation).Include(p => p.Fund).ThenInclude(f => f!.Task).Include(p => p.Installments)
            .Where(which).SingleOrDefaultAsync(cancellationToken);

    private PledgeView View(Pledge pledge, int graceDays) => new(
        pledge.Id,
        pledge.OrganisationId,
        pledge.Organisation!.Name,
        FundTitle(pledge.Fund!),
        pledge.Kind,
        pledge.Status,
        Display.Words(pledge.Status),
        PledgeTerms.Describe(pledge, ReviewPledge.FundName(pledge.Fund!)),
        TotalAfterCancellation(pledge),
        pledge.IsRecurring,
        pledge.SubmittedAt,
        pledge.ReviewReason,
        pledge.ReviewedAt,
        pledge.CancelReason,
        PledgeTerms.Percent(pledge.HonouredRateOfTotals(Today, graceDays)),
        pledge.Version,
        [.. pledge.Installments.OrderBy(i => i.Sequence).Select(i => new InstallmentView(i.Sequence, i.PeriodStart, i.PeriodEnd, i.DueDate,
            i.HoursDueMinutes > 0 ? PledgeTerms.Hours(new Hours(i.HoursDueMinutes)) : PledgeTerms.Amount(new Money(i.AmountDueMinor, i.Currency)),
            i.HoursDueMinutes > 0 ? PledgeTerms.Hours(new Hours(i.HoursDeliveredMinutes)) : PledgeTerms.Amount(new Money(i.AmountReceivedMinor, i.Currency)),
            i.Status))],
        PledgeInput.From(pledge),
        new CardState(pledge.PaymentMethod == PaymentMethod.Card, pledge.AwaitsCardPayment, pledge.StripeSubscriptionId is not null,
            pledge.PaymentRequestedAt is not null));

    /// <summary>What the pledge comes to: its terms' total, or, once installments were cancelled, what is left of it and what was pledged.</summary>
    private static string TotalAfterCancellation(Pledge pledge)
    {
        var pledged = PledgeTerms.TotalText(pledge);
        if (!pledge.Installments.Any(i => i.Status == InstallmentStatus.Cancelled))
        {
            return pledged;
        }
        var kept = pledge.Installments.Where(i => i.Status != InstallmentStatus.Cancelled).ToList();
        var left = pledge.Kind == PledgeKind.EngineerTime
            ? PledgeTerms.Hours(new Hours(kept.Sum(i => i.HoursDueMinutes)))
            : PledgeTerms.Amount(new Money(kept.Sum(i => i.AmountDueMinor), pledge.Currency));
        return $"{left} after the cancellation (pledged: {pledged})";
    }

    private static string Outstanding(long hoursDue, long hoursDelivered, long amountDue, long amountReceived, string currency) =>
        hoursDue > 0
            ? PledgeTerms.Hours(new Hours(Math.Max(0, hoursDue - hoursDelivered)))
            : PledgeTerms.Amount(new Money(Math.Max(0, amountDue - amountReceived), currency));

    private static string FundTitle(Fund fund) => fund.Kind == FundKind.Central ? "Central fund" : fund.Task?.Title ?? fund.Name;
}
