namespace FundingPortal.Core.Data.Configurations;

internal sealed class RefundRequestConfiguration : IEntityTypeConfiguration<RefundRequest>
{
    public void Configure(EntityTypeBuilder<RefundRequest> builder)
    {
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property(r => r.Reason).HasMaxLength(RefundRequest.ReasonMaxLength);
        builder.Property(r => r.StripeRefundId).HasMaxLength(255);
        builder.HasOne<Payment>().WithMany().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(r => r.Amount);
    }
}
