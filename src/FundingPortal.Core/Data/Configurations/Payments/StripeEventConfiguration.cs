namespace FundingPortal.Core.Data.Configurations;

internal sealed class StripeEventConfiguration : IEntityTypeConfiguration<StripeEvent>
{
    public void Configure(EntityTypeBuilder<StripeEvent> builder)
    {
        builder.Property(e => e.Id).HasMaxLength(255);
        builder.Property(e => e.Type).HasMaxLength(100);
        builder.Property(e => e.Payload).HasColumnType("text");
        builder.Property(e => e.LastError).HasMaxLength(2000);
        builder.HasIndex(e => e.ProcessedAt);
    }
}
