namespace FundingPortal.Web.Features.Fulfilment;

public static class FulfilmentModule
{
    public static IHostApplicationBuilder AddFulfilment(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PledgeFulfilment>();
        builder.Services.AddScoped<LogHours>();
        builder.Services.AddScoped<ReviewTimeEntries>();
        builder.Services.AddScoped<RecordDelivery>();
        builder.Services.AddScoped<ReviewDeliveries>();
        builder.Services.AddScoped<ReviewerDashboard>();
        return builder;
    }
}
