namespace LightNvr.Media.Codecs.H265;

/// <summary>nal_unit_type values, ITU-T H.265 Table 7-1, plus the RTP packet types of RFC 7798 §4.4.</summary>
public enum H265NalUnitType : byte
{
    TrailN = 0,
    TrailR = 1,

    /// <summary>Random access skipped leading pictures: they reference pictures before the CRA they follow (§8.1.3).</summary>
    RaslN = 8,
    RaslR = 9,
    BlaWLp = 16,
    BlaWRadl = 17,
    BlaNLp = 18,
    IdrWRadl = 19,
    IdrNLp = 20,
    CraNut = 21,

    /// <summary>IRAP types run 16..23 (22, 23 reserved IRAP).</summary>
    ReservedIrap23 = 23,
    Vps = 32,
    Sps = 33,
    Pps = 34,
    AccessUnitDelimiter = 35,
    EndOfSequence = 36,
    EndOfBitstream = 37,
    FillerData = 38,
    PrefixSei = 39,
    SuffixSei = 40,

    /// <summary>RFC 7798 §4.4.2 aggregation packet.</summary>
    AggregationPacket = 48,

    /// <summary>RFC 7798 §4.4.3 fragmentation unit.</summary>
    FragmentationUnit = 49,

    /// <summary>RFC 7798 §4.4.4 PACI packet.</summary>
    Paci = 50,
}
