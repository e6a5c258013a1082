namespace FundingPortal.Core.Data.Configurations;

internal sealed class InKindDeliveryConfiguration : IEntityTypeConfiguration<InKindDelivery>
{
    public void Configure(EntityTypeBuilder<InKindDelivery> builder)
    {
        builder.Property(d => d.Currency).HasMaxLength(3);
        builder.Property(d => d.Description).HasMaxLength(TimeEntry.DescriptionMaxLength);
        builder.Property(d => d.RejectionReason).HasMaxLength(2000);
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Ignore(d => d.Value);
        builder.HasOne<Pledge>().WithMany().HasForeignKey(d => d.PledgeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Installment>().WithMany().HasForeignKey(d => d.InstallmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.PledgeId);
    }
}
