namespace FundingPortal.Web.Features.Ledger;

public static class LedgerModule
{
    public static IHostApplicationBuilder AddLedger(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<LedgerBook>();
        builder.Services.AddScoped<TransferBetweenFunds>();
        builder.Services.AddScoped<ReverseEntry>();
        builder.Services.AddScoped<HideCounterparty>();
        return builder;
    }
}
