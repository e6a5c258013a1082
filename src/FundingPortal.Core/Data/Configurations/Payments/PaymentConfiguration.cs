namespace FundingPortal.Core.Data.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.BaseCurrency).HasMaxLength(3);
        builder.Property(p => p.ExchangeRate).HasPrecision(18, 8);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Pledge>().WithMany().HasForeignKey(p => p.PledgeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Installment>().WithMany().HasForeignKey(p => p.InstallmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Fund>().WithMany().HasForeignKey(p => p.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.ExternalId).IsUnique();
        builder.HasIndex(p => p.StripeCheckoutSessionId).IsUnique();
        builder.HasIndex(p => p.StripePaymentIntentId).IsUnique();
        builder.HasIndex(p => p.StripeInvoiceId).IsUnique();
        builder.Property(p => p.FlagReason).HasMaxLength(500);
        builder.Property(p => p.OverpaymentReason).HasMaxLength(Payment.VoidReasonMaxLength);
        builder.Property(p => p.VoidReason).HasMaxLength(Payment.VoidReasonMaxLength);
        builder.HasIndex(p => new { p.OrganisationId, p.ReceivedAt });
        builder.HasIndex(p => p.ReceivedAt);
        builder.Ignore(p => p.Amount);
        builder.Ignore(p => p.BaseAmount);
    }
}
