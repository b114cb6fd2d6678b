/* SPDX-License-Identifier: GPL-2.0 */
/* Door 2, /dev/dvk: opened and closed by the module's init and exit. */
#ifndef _DVK_IOCTL_DOOR_H
#define _DVK_IOCTL_DOOR_H

int dvk_ioctl_door_open(void);
void dvk_ioctl_door_close(void);

#endif /* _DVK_IOCTL_DOOR_H */
