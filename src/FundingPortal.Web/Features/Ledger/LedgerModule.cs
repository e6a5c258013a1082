namespace FundingPortal.Web.Features.Ledger;

public static class LedgerModule
{
    public static IHostApplicationBuilder AddLedger(this IHostApplicationBuilder builder) =>
        builder.AddHandlers(typeof(LedgerBook), typeof(TransferBetweenFunds), typeof(ReverseEntry), typeof(HideCounterparty));
}
