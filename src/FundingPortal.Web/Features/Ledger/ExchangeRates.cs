namespace FundingPortal.Web.Features.Ledger;

/// <summary>
/// The exchange rates the books already hold. Until the portal has a rate source, the last rate recorded with a payment in a currency
/// is the best the books know; a flagged payment's rate is not trusted.
/// </summary>
public static class ExchangeRates
{
    /// <summary>Base currency units per one unit of <paramref name="currency"/> on the latest payment booked with a rate, or null when none is.</summary>
    public static Task<decimal?> LastRecordedAsync(AppDbContext db, string currency, string baseCurrency, CancellationToken cancellationToken = default) =>
        db.Payments.AsNoTracking().Where(p => p.Currency == currency && p.BaseCurrency == baseCurrency && p.Status != PaymentStatus.Flagged)
            .OrderByDescending(p => p.ReceivedAt).Select(p => (decimal?)p.ExchangeRate).FirstOrDefaultAsync(cancellationToken);
}
