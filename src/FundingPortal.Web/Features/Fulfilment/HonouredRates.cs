using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>
/// Honoured rates (delivered ÷ due) computed in the database. Each installment due by today counts as the share of it delivered,
/// capped at one, so money, hours and in-kind value can be combined per organisation and overall; for one pledge (whose installments
/// are all alike) this equals <see cref="Pledge.HonouredRate"/>. The rules of what is due are <see cref="Core.Domain.Fulfilment"/>'s.
/// </summary>
public static class HonouredRates
{
    public static IQueryable<Installment> DueBy(this IQueryable<Installment> installments, DateOnly today) =>
        installments.Where(i => i.DueDate <= today
            && i.Status != InstallmentStatus.Cancelled && i.Status != InstallmentStatus.Paused
            && (i.HoursDueMinutes > 0 || i.AmountDueMinor > 0));

    public static Task<double?> ForOrganisationAsync(AppDbContext db, int organisationId, DateOnly today, CancellationToken cancellationToken = default) =>
        Rate(db.Installments.Where(i => i.Pledge!.OrganisationId == organisationId).DueBy(today)).AverageAsync(cancellationToken);

    public static Task<double?> OverallAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken = default) =>
        Rate(db.Installments.DueBy(today)).AverageAsync(cancellationToken);

    /// <summary>Per organisation that has anything due: its honoured rate and how many installments it rests on.</summary>
    public static Task<Dictionary<int, (double Rate, int Installments)>> PerOrganisationAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken = default) =>
        db.Installments.DueBy(today)
            .GroupBy(i => i.Pledge!.OrganisationId)
            .Select(g => new
            {
                OrganisationId = g.Key,
                Rate = g.Average(i => i.HoursDueMinutes > 0
                    ? (i.HoursDeliveredMinutes >= i.HoursDueMinutes ? 1.0 : (double)i.HoursDeliveredMinutes / i.HoursDueMinutes)
                    : (i.AmountReceivedMinor >= i.AmountDueMinor ? 1.0 : (double)i.AmountReceivedMinor / i.AmountDueMinor)),
                Count = g.Count(),
            })
            .ToDictionaryAsync(r => r.OrganisationId, r => (r.Rate, r.Count), cancellationToken);

    // A ratio, not money: a double is exact enough to show as a percentage and every provider can average it.
    private static IQueryable<double?> Rate(IQueryable<Installment> due) =>
        due.Select(i => (double?)(i.HoursDueMinutes > 0
            ? (i.HoursDeliveredMinutes >= i.HoursDueMinutes ? 1.0 : (double)i.HoursDeliveredMinutes / i.HoursDueMinutes)
            : (i.AmountReceivedMinor >= i.AmountDueMinor ? 1.0 : (double)i.AmountReceivedMinor / i.AmountDueMinor)));
}
