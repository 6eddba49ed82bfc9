// Package idcard reads Vietnamese citizen identity cards (CCCD / Căn cước)
// without touching the chip: the QR code printed on the card and the ICAO 9303
// machine-readable zone (MRZ), as USB/RS-232 readers and keyboard-wedge
// scanners deliver them.
//
// References:
//   - CCCD QR: "|"-separated fields, as printed on the front of the 2021-2024
//     cards and the back of the 2024+ "Căn cước" cards (Law 26/2023/QH15):
//     ID number | old 9-digit ID (may be empty) | full name | date of birth
//     ddMMyyyy | sex (Nam/Nữ) | address | issue date ddMMyyyy | newer cards
//     add fields, which are ignored. ParseQR accepts 6 or more fields.
//   - ICAO Doc 9303 Part 5 (TD1 size MRZ: three lines of 30 characters) and
//     Part 3 (check digits: weights 7-3-1, '<' = 0, A-Z = 10-35). Every check
//     digit (document number, birth date, expiry date, composite) is verified.
//     Vietnamese cards put the full 12-digit ID number in line 1's optional
//     data; the document number is its last 9 digits.
//
// Readers: SerialReader reads frames from a serial port (drivers/serialport)
// and reconnects after an unplug; Wedge recognises a keyboard-wedge scanner's
// fast burst of key presses. Both hand out Identity values through the Source
// interface, which a chip reader (ICAO 9303 BAC/PACE, DG1/DG13) can implement
// later.
//
// It must not log personal data: errors name the field that is wrong, never
// its value.
package idcard
