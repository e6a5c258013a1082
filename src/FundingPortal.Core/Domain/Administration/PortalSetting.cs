namespace FundingPortal.Core.Domain;

/// <summary>A portal setting an admin can change (key and value); every change is audited.</summary>
public class PortalSetting
{
    private PortalSetting()
    {
    }

    public string Key { get; private set; } = "";

    public string Value { get; private set; } = "";

    public static PortalSetting Create(string key, string value) => new() { Key = key, Value = value };

    public void Change(string value) => Value = value;
}
