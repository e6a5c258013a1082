namespace FundingPortal.Web.Features.Fulfilment;

public static class FulfilmentModule
{
    public static IHostApplicationBuilder AddFulfilment(this IHostApplicationBuilder builder) =>
        builder.AddHandlers(typeof(PledgeFulfilment), typeof(ReviewerDashboard),
            typeof(LogHours), typeof(ReviewTimeEntries), typeof(RecordDelivery), typeof(ReviewDeliveries));
}
