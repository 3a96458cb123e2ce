/** Byte codecs for the structured packets of ../packets: what pcap captures and checksums are made of. */
export { encodeFrame, writeFrame, decodeFrame, frameLength, ETHERNET_HEADER_LENGTH, type DecodedFrame } from './ethernet';
export { encodeIpv4, ipv4Length, IPV4_HEADER_LENGTH } from './ipv4';
export { vrrpChecksum, makeVrrpAdvert, vrrpLength, VRRP_ADVERTISEMENT, type VrrpAdvertFields } from './vrrp';
export { internetChecksum, onesComplementSum, foldChecksum, pseudoHeaderSum } from './checksum';
