import time,sys
# Samples /proc/net/udp every 0.5 s; keeps the largest drop count seen per socket (inode), split by the engine's RTP
# range and the rest. Stops when /tmp/runs/udpdrops.stop exists.
seen={}
import os
while not os.path.exists('/tmp/runs/udpdrops.stop'):
    for line in open('/proc/net/udp').read().splitlines()[1:]:
        f=line.split()
        port=int(f[1].split(':')[1],16); inode=f[9]; drops=int(f[-1])
        key=(inode,port)
        if drops>seen.get(key,0): seen[key]=drops
    time.sleep(0.5)
eng=sum(d for (i,p),d in seen.items() if 16000<=p<=32767)
oth=sum(d for (i,p),d in seen.items() if not 16000<=p<=32767)
print("engine RTP range drops",eng,"other sockets drops",oth)
top=sorted(((d,p) for (i,p),d in seen.items() if d>0),reverse=True)[:10]
print("top",top)
